using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace UnrolledRnn.Batching;

/// <summary>
/// Runs the chunks of a batch on the calling thread and a fixed set of worker threads, created once. Which thread
/// runs which chunk varies; what a chunk computes does not, as each writes only its own buffers, so the results do
/// not depend on the number of threads or their timing. Running allocates nothing: no task, no closure.
/// </summary>
internal sealed class ChunkWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Action<int> _runChunk;
    private readonly SemaphoreSlim _start = new(0);
    private readonly CountdownEvent _done = new(1);
    private int _chunkCount, _nextChunk;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _failure;
    private long _workerAllocatedBytes;

    /// <param name="threads">Threads in all, the calling one included: threads - 1 workers are started.</param>
    /// <param name="runChunk">Runs one chunk, by index; called from any of the threads.</param>
    public ChunkWorkers(int threads, Action<int> runChunk)
    {
        _runChunk = runChunk;
        _threads = new Thread[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"UnrolledRnn batch worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Bytes the worker threads have allocated while running chunks, since they started (the calling thread's own are its).</summary>
    public long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocatedBytes);

    /// <summary>Runs chunks 0 to <paramref name="chunkCount"/> - 1 and returns when all are done; rethrows a chunk's exception.</summary>
    public void Run(int chunkCount)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _chunkCount = chunkCount;
        _nextChunk = -1;
        _failure = null;
        if (_threads.Length > 0)
        {
            _done.Reset(_threads.Length);
            _start.Release(_threads.Length);
        }

        RunChunks();
        if (_threads.Length > 0)
        {
            _done.Wait();
        }

        _failure?.Throw();
    }

    /// <summary>Stops the worker threads; they finish first what they are running.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_threads.Length > 0)
        {
            _start.Release(_threads.Length);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            RunChunks();
            Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
            _done.Signal();
        }
    }

    private void RunChunks()
    {
        for (int chunk = Interlocked.Increment(ref _nextChunk); chunk < _chunkCount; chunk = Interlocked.Increment(ref _nextChunk))
        {
            try
            {
                _runChunk(chunk);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
            }
        }
    }
}
