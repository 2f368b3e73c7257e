global using SourceNet.Interop;
