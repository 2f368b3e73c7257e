using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace SourceNet.Generator.Tests.Harness;

/// <summary>
/// Golden-file comparison for generated source: <c>Snapshots/{name}.verified.cs</c> in the source tree.
/// On a mismatch it writes <c>{name}.received.cs</c> beside it and fails with a line diff. Set
/// <c>SOURCENET_ACCEPT_SNAPSHOTS=1</c> to accept the received text.
/// </summary>
public static class Snapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(FindTestsFolder(callerPath), "Snapshots");
        string verifiedPath = Path.Combine(folder, name + ".verified.cs");
        string receivedPath = Path.Combine(folder, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");
        bool accept = Environment.GetEnvironmentVariable("SOURCENET_ACCEPT_SNAPSHOTS") == "1";

        string? expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        if (accept)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verifiedPath, actual);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verifiedPath}. Wrote {receivedPath}; rename it (or run with SOURCENET_ACCEPT_SNAPSHOTS=1) to accept."
            : $"Generated source differs from {verifiedPath} (received: {receivedPath}):\n{Diff(expected, actual)}");
    }

    private static string Diff(string expected, string actual)
    {
        DiffPaneModel diff = InlineDiffBuilder.Diff(expected, actual);
        var text = new StringBuilder();
        int shown = 0;
        foreach (DiffPiece line in diff.Lines)
        {
            if (line.Type == ChangeType.Unchanged) continue;
            text.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").AppendLine(line.Text);
            if (++shown == 60) { text.AppendLine("..."); break; }
        }
        return text.ToString();
    }

    private static string FindTestsFolder(string callerPath)
    {
        for (DirectoryInfo? dir = new FileInfo(callerPath).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SourceNet.Generator.Tests.csproj"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the test project folder from " + callerPath);
    }
}
