using SourceNet.Samples.CharLm;

// The character-level LSTM language model on the King James Bible (see CharLmApp).
return CharLmApp.Run(args, Console.Out, Console.Error);
