using SourceNet.Samples.MnistCnn;
using SourceNet.Samples.Terminal;

// The deep MNIST convolutional network (see MnistCnnApp); a progress bar on a terminal, plain lines otherwise.
return MnistCnnApp.Run(args, Console.Out, Console.Error, interactive: TrainingConsole.IsTerminal);
