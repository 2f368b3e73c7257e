using SourceNet.Samples.MnistResNet;
using SourceNet.Samples.Terminal;

// A small residual network on MNIST (see MnistResNetApp); a progress bar on a terminal, plain lines otherwise.
return MnistResNetApp.Run(args, Console.Out, Console.Error, interactive: TrainingConsole.IsTerminal);
