using System;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>Measures what a piece of code allocates once the runtime has finished warming it up.</summary>
internal static class SteadyStateAllocation
{
    /// <summary>
    /// Bytes allocated on this thread by <paramref name="calls"/> calls of <paramref name="action"/>, measured
    /// up to ten times after one warm-up call, stopping at the first measurement of zero. Retrying absorbs the
    /// runtime's one-off allocations while tiered compilation replaces the warm-up code (a few hundred to a few
    /// thousand bytes, seen occasionally on a loaded machine); an allocation in the code itself happens on every
    /// call, so it shows in every measurement. <paramref name="otherThreadsAllocatedBytes"/>, when given, is a running count of what the
    /// code's own worker threads allocate; its growth is added to each measurement.
    /// </summary>
    public static long Measure(Action action, int calls = 1000, Func<long>? otherThreadsAllocatedBytes = null)
    {
        action();
        long allocated = 0;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + (otherThreadsAllocatedBytes?.Invoke() ?? 0);
            for (int i = 0; i < calls; i++)
            {
                action();
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() + (otherThreadsAllocatedBytes?.Invoke() ?? 0) - before;
            if (allocated == 0)
            {
                break;
            }
        }
        return allocated;
    }
}
