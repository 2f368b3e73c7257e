using SourceNet.Samples.MnistLstm;
using SourceNet.Samples.Terminal;

// An LSTM reading MNIST row by row (see MnistLstmApp); a progress bar on a terminal, plain lines otherwise.
return MnistLstmApp.Run(args, Console.Out, Console.Error, interactive: TrainingConsole.IsTerminal);
