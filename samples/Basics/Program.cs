using System;
using SourceNet.Samples.Basics;

Tutorial.Run(Console.Out);
