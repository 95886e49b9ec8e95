namespace Live.Grains.Tests;

public sealed class StateWriterTests
{
    [Fact]
    public async Task AFailedWriteDeactivatesRethrowsAndRefusesEverythingAfter()
    {
        var writes = 0;
        var deactivations = 0;
        var fail = true;
        var writer = new StateWriter(
            _ =>
            {
                writes++;
                return fail ? Task.FromException(new IOException("disk gone")) : Task.CompletedTask;
            },
            () => deactivations++,
            "cart u1");

        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync());
        fail = false;

        Assert.True(writer.IsBroken);
        Assert.Equal(1, deactivations);
        var refused = Assert.Throws<InvalidOperationException>(writer.ThrowIfBroken);
        Assert.Contains("cart u1", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync());
        Assert.Equal(1, writes);
    }

    [Fact]
    public async Task AfterAWriteThatFoundStorageOutOfReachTheActivationAnswersUnavailable()
    {
        var writer = new StateWriter(_ => Task.FromException(new TimeoutException("redis did not answer")), () => { }, "room r1");

        await Assert.ThrowsAsync<TimeoutException>(() => writer.WriteAsync());

        var refused = Assert.Throws<Live.Contracts.StorageUnavailableException>(writer.ThrowIfBroken);
        Assert.Contains("room r1", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.InnerException);
    }

    [Fact]
    public async Task WritesThatSucceedLeaveTheActivationServing()
    {
        var writes = 0;
        var deactivations = 0;
        var writer = new StateWriter(_ => Task.FromResult(++writes), () => deactivations++, "room r1");

        await writer.WriteAsync();
        await writer.WriteAsync();
        writer.ThrowIfBroken();

        Assert.False(writer.IsBroken);
        Assert.Equal(2, writes);
        Assert.Equal(0, deactivations);
    }

    [Fact]
    public async Task AWriteBehindThatFindsStorageOutOfReachLeavesTheActivationServingAndAnyOtherFailureBreaksIt()
    {
        var deactivations = 0;
        Exception? next = new TimeoutException("redis restarting");
        var writer = new StateWriter(_ => next is null ? Task.CompletedTask : Task.FromException(next), () => deactivations++, "room r1");

        Assert.IsType<TimeoutException>(await writer.WriteUnlessUnreachableAsync());
        writer.ThrowIfBroken();
        Assert.False(writer.IsBroken);
        next = null;
        Assert.Null(await writer.WriteUnlessUnreachableAsync());
        Assert.Equal(0, deactivations);

        next = new IOException("disk gone");
        await Assert.ThrowsAsync<IOException>(() => writer.WriteUnlessUnreachableAsync());
        Assert.True(writer.IsBroken);
        Assert.Equal(1, deactivations);
        Assert.Throws<InvalidOperationException>(writer.ThrowIfBroken);
    }
}
