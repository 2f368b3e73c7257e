using System;
using System.Globalization;

namespace SourceNet.Bench.LstmLatency;

/// <summary>The command line (see Program.cs for what each option means).</summary>
internal sealed record Options(string Data, string Out, int Rounds, int Warmup, int Calls, int Images, int TrainSteps, string Threads, string OrtThreads, int ProfileCalls)
{
    public static Options Parse(string[] args)
    {
        var o = new Options("data/mnist", "bench/results/lstm-latency", 3, 500, 5000, 1000, 150, "1 2", "1 2 0", 1500);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {args[i]} needs a value.");
            }
            string value = args[i + 1];
            int Int(int least)
            {
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < least)
                {
                    throw new ArgumentException($"Option {args[i]} needs an integer of at least {least}; got '{value}'.");
                }
                return n;
            }
            o = args[i] switch
            {
                "--data" => o with { Data = value },
                "--out" => o with { Out = value },
                "--rounds" => o with { Rounds = Int(1) },
                "--warmup" => o with { Warmup = Int(0) },
                "--calls" => o with { Calls = Int(1) },
                "--images" => o with { Images = Int(1) },
                "--train-steps" => o with { TrainSteps = Int(0) },
                "--threads" => o with { Threads = value },
                "--ort-threads" => o with { OrtThreads = value },
                "--profile-calls" => o with { ProfileCalls = Int(0) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return o;
    }

    public static int[] Counts(string list, int least)
    {
        string[] parts = list.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            // Both systems must run: the logits are compared before anything is timed.
            throw new ArgumentException("A thread list needs at least one count; got none.");
        }
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out counts[i]) || counts[i] < least)
            {
                throw new ArgumentException($"A thread list holds integers of at least {least}; got '{list}'.");
            }
        }
        return counts;
    }
}
