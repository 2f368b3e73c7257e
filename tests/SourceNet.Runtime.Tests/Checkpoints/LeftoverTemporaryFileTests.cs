using System.IO;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>
/// A save removes the temporary files that interrupted saves of the same target left behind (issue 19: 18
/// stray files after 30 kills), and only those: another target's, and one a live save holds open, stay.
/// </summary>
public sealed class LeftoverTemporaryFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_save_removes_leftovers_of_its_target_only()
    {
        string target = _temp.File("model.sncp");
        string leftover1 = _temp.File(".model.sncp.abcdefgh.ijk.tmp");
        string leftover2 = _temp.File(".model.sncp.zz0zz1zz.q2q.tmp");
        string otherTarget = _temp.File(".model.sncp.bak.abcdefgh.ijk.tmp");
        string notOurs = _temp.File(".model.sncp.notes.tmp");
        foreach (string file in new[] { leftover1, leftover2, otherTarget, notOurs })
        {
            File.WriteAllBytes(file, new byte[100]);
        }
        string live = _temp.File(".model.sncp.livelive.abc.tmp");
        // Opened as a save opens its temporary file: a live write in another process looks like this.
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.Delete))
        {
            Checkpoint.Save(target, TestNetwork.Small().Randomize(1));
            Assert.True(File.Exists(live), "A temporary file in use was deleted.");
        }

        Assert.False(File.Exists(leftover1));
        Assert.False(File.Exists(leftover2));
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(notOurs));
        Assert.Equal([".model.sncp.bak.abcdefgh.ijk.tmp", ".model.sncp.livelive.abc.tmp", ".model.sncp.notes.tmp", "model.sncp"],
            Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
