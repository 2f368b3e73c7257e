using SourceNet.Samples.Word2Vec;

// Word vectors by skip-gram with negative sampling on the King James Bible (see Word2VecApp).
return Word2VecApp.Run(args, Console.Out, Console.Error);
