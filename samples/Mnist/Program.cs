using System;
using SourceNet.Samples.Mnist;
using SourceNet.Samples.Terminal;

// The TensorFlow 2 tutorial's MNIST training (see MnistApp); a progress bar on a terminal, plain lines otherwise.
return MnistApp.Run(args, Console.Out, Console.Error, interactive: TrainingConsole.IsTerminal);
