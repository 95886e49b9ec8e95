using Live.Grains.Ledger;

namespace Live.Grains.Tests.Storage;

/// <summary>
/// A storage client's exception, thrown out of a grain call, has no Orleans codec and leaves the caller waiting for its
/// response timeout (seen with redis-server killed mid-rush): the sale's ledger calls rethrow it as one Orleans carries.
/// </summary>
public sealed class AnswerableLedgerStoreTests
{
    [Fact]
    public async Task AStorageClientsExceptionBecomesOneOrleansCarriesNamingTheCallAndTheCause()
    {
        var store = new AnswerableLedgerStore(new FailingStore(new StorageClientException("SocketClosed on 127.0.0.1:6390")));

        var append = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync("flashsale", "sale_1", 3, [[1]]));
        Assert.Equal("could not append to ledger flashsale/sale_1: StorageClientException: SocketClosed on 127.0.0.1:6390", append.Message);
        Assert.Null(append.InnerException);
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => store.ReadAsync("flashsale", "sale_1", 0, 10)));
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => store.ReadSnapshotAsync("flashsale", "sale_1")));
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => store.WriteSnapshotAsync("flashsale", "sale_1", new LedgerRecord(1, [1]))));
    }

    [Fact]
    public async Task StorageOutOfReachIsToldAsUnavailableSoThatTheCallerMayRetry()
    {
        var store = new AnswerableLedgerStore(new FailingStore(new TimeoutException("no answer from 127.0.0.1:6390 in 5000 ms")));

        var append = await Assert.ThrowsAsync<Live.Contracts.StorageUnavailableException>(() => store.AppendAsync("flashsale", "sale_1", 3, [[1]]));
        Assert.Equal("could not append to ledger flashsale/sale_1: TimeoutException: no answer from 127.0.0.1:6390 in 5000 ms", append.Message);
        Assert.Null(append.InnerException);
    }

    [Fact]
    public async Task ExceptionsOrleansCarriesAlreadyPassUnchanged()
    {
        var injected = new InvalidOperationException("injected storage fault");
        var store = new AnswerableLedgerStore(new FailingStore(injected));

        Assert.Same(injected, await Record.ExceptionAsync(() => store.AppendAsync("flashsale", "sale_1", 0, [[1]])));
    }

    [Fact]
    public async Task WhatTheStoreAnswersPassesThrough()
    {
        var store = new AnswerableLedgerStore(new MemoryLedgerStore());
        await store.AppendAsync("flashsale", "sale_1", 0, [[7], [8]]);

        var read = await store.ReadAsync("flashsale", "sale_1", 0, 10);
        Assert.Equal([1L, 2L], read.Select(r => r.Position));
    }

    private sealed class StorageClientException(string message) : Exception(message);

    private sealed class FailingStore(Exception failure) : ILedgerStore
    {
        public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) => Task.FromException(failure);

        public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd) => Task.FromException(failure);

        public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) =>
            Task.FromException<IReadOnlyList<LedgerRecord>>(failure);

        public Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot) => Task.FromException(failure);

        public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) => Task.FromException<LedgerRecord?>(failure);
    }
}
