
namespace Live.LoadTests.Engine;

public static class Elapsed
{
    public static long MicrosSince(long startTimestamp) =>
        (System.Diagnostics.Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / System.Diagnostics.Stopwatch.Frequency;
}
