using Live.Grains.Ledger;
using Live.Testing;

namespace Live.Grains.Tests.Storage;

/// <summary>The memory store (<c>Cluster:Storage=Memory</c> and the grain tests) keeps the ledger stores' contract.</summary>
public sealed class MemoryLedgerStoreTests
{
    [Fact]
    public async Task AnAppendPutsEntriesAtTheEndOfOtherLogsInTheSameWrite() =>
        await LedgerStoreChecks.AppendsAtTheEndOfOtherLogsInTheSameWriteAsync(new MemoryLedgerStore(), "");
}
