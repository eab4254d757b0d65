using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Kernels;

public static partial class BatchedProducts
{
    // The window gradient of a matrix with at least PanelColumns columns: vectorised over its columns, each block of
    // it kept in registers over the streams of several steps (the gradient of a narrower matrix vectorises over the
    // streams instead, and sums its lanes once per element).
    private static void AddTransposedProductsByPanels<T>(ref T m, int rows, int columns, int count, ref T left, int leftStride, ref T right,
        int rightStride, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dW += Σ_t D_t · X_tᵀ as matrix products whose inner dimension runs over the streams of several steps: for a
        // few steps at a time, a panel of X's columns is transposed into a buffer on the stack (the steps' streams one
        // under the other), for each chunk of dW's rows the same steps' D rows are copied side by side into a second
        // buffer, and the product kernel adds the one times the other into dW. A batch too wide for a buffer is split
        // into panels of streams, one step each.
        int panelElements = ColumnPanelBytes / Unsafe.SizeOf<T>();
        int panelStreams = Math.Min(batch, panelElements / PanelColumns);
        int panelSteps = panelStreams < batch ? 1 : Math.Clamp(panelElements / (batch * PanelColumns), 1, count);
        int inner = panelSteps * panelStreams;
        int chunkRows = Math.Clamp(RowPanelBytes / Unsafe.SizeOf<T>() / inner, 1, rows);
        Span<T> columnPanel = stackalloc T[inner * PanelColumns];
        Span<T> rowPanel = stackalloc T[chunkRows * inner];
        ref T xPanel = ref MemoryMarshal.GetReference(columnPanel);
        ref T dPanel = ref MemoryMarshal.GetReference(rowPanel);
        for (int t0 = 0; t0 < count; t0 += panelSteps)
        {
            int steps = Math.Min(panelSteps, count - t0);
            ref T d = ref Unsafe.Add(ref left, (nint)t0 * leftStride);
            ref T x = ref Unsafe.Add(ref right, (nint)t0 * rightStride);
            for (int s0 = 0; s0 < batch; s0 += panelStreams)
            {
                int streams = Math.Min(panelStreams, batch - s0), depth = steps * streams;
                for (int j0 = 0; j0 < columns; j0 += PanelColumns)
                {
                    int width = Math.Min(PanelColumns, columns - j0);
                    for (int t = 0; t < steps; t++)
                    {
                        Transpose(ref Unsafe.Add(ref x, (nint)t * rightStride + (nint)j0 * batch + s0), width, streams, batch,
                            ref Unsafe.Add(ref xPanel, (nint)t * streams * width));
                    }

                    for (int i0 = 0; i0 < rows; i0 += chunkRows)
                    {
                        int height = Math.Min(chunkRows, rows - i0);
                        PlaceSideBySide(ref Unsafe.Add(ref d, (nint)i0 * batch + s0), leftStride, height, steps, streams, batch, ref dPanel);
                        Product(ref dPanel, height, depth, depth, 1, ref xPanel, width, ref Unsafe.Add(ref m, (nint)i0 * columns + j0), columns,
                            accumulate: true);
                    }
                }
            }
        }
    }

    /// <summary>The columns of X one panel holds: four vectors of floats, one 4 × 4 block of the product kernel.</summary>
    private const int PanelColumns = 64;

    /// <summary>The panel of X's columns on the stack: 16 KB, read again for every 4 rows of dW, so it stays in L1 with its chunk of D.</summary>
    private const int ColumnPanelBytes = 16 * 1024;

    /// <summary>The chunk of D's rows on the stack: 16 KB.</summary>
    private const int RowPanelBytes = 16 * 1024;

    // panel[i × steps·streams + t × streams + s] = D_t[i × batch + s]: the rows of `steps` blocks, leftStride apart, side by side.
    private static void PlaceSideBySide<T>(ref T d, int leftStride, int height, int steps, int streams, int batch, ref T panel)
        where T : unmanaged
    {
        int depth = steps * streams;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < height; i++)
            {
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref d, (nint)t * leftStride + (nint)i * batch), streams)
                    .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, (nint)i * depth + t * streams), streams));
            }
        }
    }

    // panel[s × width + j] = block[j × batch + s]: width rows of a feature-major block, streams values each, transposed.
    private static void Transpose<T>(ref T block, int width, int streams, int batch, ref T panel)
        where T : unmanaged
    {
        for (int j = 0; j < width; j++)
        {
            ref T row = ref Unsafe.Add(ref block, (nint)j * batch);
            for (int s = 0; s < streams; s++)
            {
                Unsafe.Add(ref panel, (nint)s * width + j) = Unsafe.Add(ref row, s);
            }
        }
    }
}
