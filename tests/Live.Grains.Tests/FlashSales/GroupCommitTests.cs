using Live.Grains.FlashSales;

namespace Live.Grains.Tests.FlashSales;

/// <summary>
/// Each storage write is a task the test completes, so every step is deterministic: completing a write runs the
/// commit's continuation inline (no synchronization context under xunit's default algorithm), which starts the
/// next write before the test goes on.
/// </summary>
public sealed class GroupCommitTests
{
    private readonly List<TaskCompletionSource> _writes = [];
    private readonly List<Exception> _failures = [];
    private readonly GroupCommit _commit;

    public GroupCommitTests() => _commit = new GroupCommit(WriteAsync, _failures.Add);

    [Fact]
    public async Task ACommitStartsAWriteAndCompletesWhenItIsStored()
    {
        var commit = _commit.CommitAsync();

        Assert.Single(_writes);
        Assert.False(commit.IsCompleted);

        _writes[0].SetResult();

        await commit;
        Assert.Single(_writes);
        Assert.False(_commit.HasWaiting);
        Assert.True(_commit.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CallersArrivingDuringAWriteWaitForTheNextWriteAndShareIt()
    {
        var first = _commit.CommitAsync();
        var second = _commit.CommitAsync();
        var third = _commit.CommitAsync();

        Assert.Single(_writes);
        Assert.True(_commit.HasWaiting);

        _writes[0].SetResult();

        await first;
        Assert.Equal(2, _writes.Count);
        Assert.False(_commit.HasWaiting);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        _writes[1].SetResult();

        await Task.WhenAll(second, third);
        Assert.Equal(2, _writes.Count);
    }

    [Fact]
    public async Task CallersInsideAHoldShareOneWriteThatStartsWhenTheHoldEnds()
    {
        Task[] commits;
        using (_commit.Hold())
        {
            commits = [_commit.CommitAsync(), _commit.CommitAsync(), _commit.CommitAsync()];
            Assert.Empty(_writes);
            Assert.True(_commit.HasWaiting);
        }

        Assert.Single(_writes);
        _writes[0].SetResult();

        await Task.WhenAll(commits);
        Assert.Single(_writes);
    }

    [Fact]
    public async Task AHoldWithNobodyWaitingStartsNothingAndAHoldDuringAWriteOnlyQueues()
    {
        using (_commit.Hold())
        {
        }

        Assert.Empty(_writes);

        var running = _commit.CommitAsync();
        Task queued;
        using (_commit.Hold())
        {
            queued = _commit.CommitAsync();
        }

        Assert.Single(_writes);
        _writes[0].SetResult();
        await running;
        Assert.Equal(2, _writes.Count);
        _writes[1].SetResult();
        await queued;
    }

    [Fact]
    public async Task OneWriteRunsAtATime()
    {
        _ = _commit.CommitAsync();
        var queued = _commit.CommitAsync();
        var queuedToo = _commit.CommitAsync();

        Assert.Single(_writes);

        _writes[0].SetResult();
        var arrivingDuringTheSecond = _commit.CommitAsync();

        Assert.Equal(2, _writes.Count);

        _writes[1].SetResult();
        await Task.WhenAll(queued, queuedToo);

        Assert.Equal(3, _writes.Count);
        Assert.False(arrivingDuringTheSecond.IsCompleted);

        _writes[2].SetResult();
        await arrivingDuringTheSecond;
    }

    [Fact]
    public async Task ACommitAfterTheLastWriteStartsAWriteOfItsOwn()
    {
        var first = _commit.CommitAsync();
        _writes[0].SetResult();
        await first;

        var later = _commit.CommitAsync();

        Assert.Equal(2, _writes.Count);
        Assert.False(later.IsCompleted);

        _writes[1].SetResult();
        await later;
    }

    [Fact]
    public async Task AWriteThatCompletesAtOnceCompletesTheCommitAtOnce()
    {
        var writes = 0;
        var commit = new GroupCommit(() => { writes++; return Task.CompletedTask; }, _failures.Add);

        await commit.CommitAsync();
        await commit.CommitAsync();

        Assert.Equal(2, writes);
        Assert.True(commit.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task IdleWaitsForTheWriteInFlightAndTheQueuedOne()
    {
        _ = _commit.CommitAsync();
        var last = _commit.CommitAsync();
        var idle = _commit.WhenIdleAsync();

        _writes[0].SetResult();

        Assert.False(idle.IsCompleted);

        _writes[1].SetResult();

        await idle;
        await last;
        Assert.True(_commit.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AFailedWriteFailsItsCallersAndTheCallersQueuedBehindIt()
    {
        var inFlight = _commit.CommitAsync();
        var queued = _commit.CommitAsync();
        var boom = new IOException("storage is down");

        _writes[0].SetException(boom);

        Assert.Same(boom, await Assert.ThrowsAsync<IOException>(() => inFlight));
        Assert.Same(boom, await Assert.ThrowsAsync<IOException>(() => queued));
        Assert.Single(_writes);
        Assert.Equal([boom], _failures);
        Assert.True(_commit.IsBroken);
        Assert.Same(boom, _commit.Failure);
        Assert.False(_commit.HasWaiting);
    }

    [Fact]
    public async Task AfterAFailedWriteEveryCommitFailsWithoutWriting()
    {
        var boom = new IOException("storage is down");
        var failed = _commit.CommitAsync();
        _writes[0].SetException(boom);
        await Assert.ThrowsAsync<IOException>(() => failed);

        var later = _commit.CommitAsync();
        var evenLater = _commit.CommitAsync();

        Assert.Same(boom, await Assert.ThrowsAsync<IOException>(() => later));
        Assert.Same(boom, await Assert.ThrowsAsync<IOException>(() => evenLater));
        Assert.Single(_writes);
        Assert.Single(_failures);
        await _commit.WhenIdleAsync();
    }

    [Fact]
    public async Task AWriteThatThrowsBeforeReturningATaskBreaksTheCommitToo()
    {
        var boom = new InvalidOperationException("no storage provider");
        var commit = new GroupCommit(() => throw boom, _failures.Add);

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(commit.CommitAsync));
        Assert.True(commit.IsBroken);
        Assert.Equal([boom], _failures);
    }

    [Fact]
    public void ANewCommitIsNeitherBrokenNorBusy()
    {
        Assert.False(_commit.IsBroken);
        Assert.False(_commit.HasWaiting);
        Assert.True(_commit.WhenIdleAsync().IsCompletedSuccessfully);
        Assert.Empty(_writes);
    }

    private Task WriteAsync()
    {
        var write = new TaskCompletionSource();
        _writes.Add(write);
        return write.Task;
    }
}
