using System.Threading;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SourceNet.Samples.Tests;

/// <summary>
/// On a terminal (a tmux pane), the sample shows a progress bar with the step, running loss, steps/s and
/// time left while an epoch runs, and leaves only the epoch lines and "Training complete!" when done.
/// Skipped where tmux is not installed (.ci/run installs it).
/// </summary>
public class TerminalProgressTests
{
    [SkippableFact]
    public void Terminal_shows_a_progress_bar_during_an_epoch_and_plain_lines_after()
    {
        Skip.IfNot(Tmux("-V").ExitCode == 0, "tmux is not installed.");
        string session = "sourcenet-" + Guid.NewGuid().ToString("N")[..8];
        string done = Path.Combine(Path.GetTempPath(), session + ".done");
        // Small batches, many of them: an epoch long enough (a few seconds) to be seen mid-way.
        string command = $"dotnet '{RepoPaths.MnistSample}' --epochs 2 --batch-size 10 --batches 6000 --data '{RepoPaths.MnistData}'; echo $? > '{done}'; sleep 60";
        Assert.Equal(0, Tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command).ExitCode);
        try
        {
            string? bar = null;
            var clock = Stopwatch.StartNew();
            while (!File.Exists(done) && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                string screen = Tmux("capture-pane", "-p", "-t", session).Output;
                bar ??= screen.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, @"Epoch \d/2 +step \d+/6000 +loss \d+\.\d{3} +[\d,]+ steps/s +ETA \d+:\d\d"));
                Thread.Sleep(100);
            }
            Assert.True(File.Exists(done), "The sample did not finish in 3 minutes.");
            Thread.Sleep(300); // the pane shows the last lines
            string[] final = Tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", session).Output.Split('\n').Select(l => l.TrimEnd()).ToArray();

            Assert.Equal("0", File.ReadAllText(done).Trim());
            Assert.True(bar is not null, "No progress bar line was seen:\n" + string.Join('\n', final));
            Assert.Contains("%", bar); // the bar's percentage column
            Assert.Equal([1, 2], EpochLines.Of(final).Select(e => e.Epoch));
            Assert.Contains("Training complete!", final);
            // The bar is cleared when training ends: no progress line is left on the screen.
            Assert.DoesNotContain(final, l => l.Contains("steps/s", StringComparison.Ordinal));
        }
        finally
        {
            Tmux("kill-session", "-t", session);
            File.Delete(done);
        }
    }

    private static (int ExitCode, string Output) Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using Process process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "tmux not found");
        }
    }
}
