using System;
using System.ComponentModel;
using System.Threading;

namespace SourceNet;

/// <summary>
/// A cheap guard for members that must not run on two threads at once on one instance (a generated network's
/// <c>TrainStep</c> writes the instance's buffers): a second concurrent entry throws instead of silently
/// mixing two batches. One interlocked exchange per entry, nothing allocated.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ExclusiveUse
{
    private int _inUse;

    /// <summary>Enters; dispose the result to leave.</summary>
    /// <param name="member">The member being entered, for the message.</param>
    /// <exception cref="InvalidOperationException">Another thread is inside a member guarded by this instance.</exception>
    public Scope Enter(string member)
    {
        if (Interlocked.Exchange(ref _inUse, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{member} was called while another call on the same network was still running (two threads?). A network's buffers hold one call at a time: give each thread its own network.");
        }
        return new Scope(this);
    }

    /// <summary>The time between <see cref="Enter"/> and its <see cref="Dispose"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ExclusiveUse _owner;

        internal Scope(ExclusiveUse owner) => _owner = owner;

        /// <summary>Leaves, so the next call may enter.</summary>
        public void Dispose() => Volatile.Write(ref _owner._inUse, 0);
    }
}
