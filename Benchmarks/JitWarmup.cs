using System;
using System.Diagnostics;
using System.Runtime;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// Runs an operation until the JIT has compiled nothing new for a while, so that BenchmarkDotNet's pilot and
/// iterations time the final (tier-1) code. An operation that takes about a millisecond (a batched update of 64
/// streams) otherwise runs fewer than a hundred times in a whole benchmark process: the pilot, timing the
/// first calls at tier 0 (tens of times slower), picks the minimum of 4 calls per iteration, and the methods tier
/// up at some random point of the iterations or not at all.
/// </summary>
internal static class JitWarmup
{
    /// <summary>Longer than the runtime's call-counting delay (100 ms) and its background compilations.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>A bound, so that a JIT that keeps compiling cannot hang the setup.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Calls <paramref name="operation"/> until no method has been compiled (on any thread) for <see cref="Quiet"/>.</summary>
    public static void UntilCompiled(Action operation)
    {
        long compiled = -1;
        var total = Stopwatch.StartNew();
        var sinceLastCompilation = Stopwatch.StartNew();
        while (total.Elapsed < Limit)
        {
            operation();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                sinceLastCompilation.Restart();
            }
            else if (sinceLastCompilation.Elapsed >= Quiet)
            {
                return;
            }
        }

        Console.WriteLine($"// JitWarmup: the JIT was still compiling after {Limit.TotalSeconds} s of warm-up calls.");
    }
}
