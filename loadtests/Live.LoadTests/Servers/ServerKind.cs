namespace Live.LoadTests.Servers;

public enum ServerKind
{
    /// <summary>RedLive in its embedded mode: hub, REST API and an Orleans silo in one process.</summary>
    RedLive,

    /// <summary>A bare SignalR hub with no Orleans behind it: the baseline RedLive's cost is stated against.</summary>
    Bare,
}
