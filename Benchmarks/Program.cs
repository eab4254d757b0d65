using System;
using UnrolledRnn.Benchmarks;

switch (args.Length > 0 ? args[0] : "")
{
    case "jit-check":
        JitCheck.Run();
        return 0;
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project Benchmarks -- jit-check");
        return 2;
}
