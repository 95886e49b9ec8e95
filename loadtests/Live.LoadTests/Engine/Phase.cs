
namespace Live.LoadTests.Engine;

public enum Phase
{
    Init,
    WarmUp,
    Measure,
    Finish,
}
