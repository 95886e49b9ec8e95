using Live.Client.Models;
using Live.Contracts.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Stream;

/// <summary>
/// A flash sale's room events (<c>FlashSaleUpdated</c>, <c>FlashSaleEnded</c>) reach the room, which numbers them,
/// even when the sale's calls to the room fail: the sale keeps them and calls again (at least once), so the viewers
/// get them in the room's stream, each with its seq.
/// </summary>
public sealed class SaleAnnouncementTests
{
    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task ASaleEndWhoseCallsToTheRoomFailReachesTheViewersOnceTheRoomTakesIt(WireProtocol protocol)
    {
        var faults = new AnnounceFaults();
        await using var server = await LiveServer.StartAsync(configure: b => b.Services.AddSingleton<IIncomingGrainCallFilter>(faults));
        var scenario = new HostScenario(server, $"host-announce-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 2, perUserLimit: 2);

        await using var viewer = await server.ConnectClientAsync(server.Token($"viewer-announce-{protocol}"), protocol);
        var ended = new EventProbe<FlashSale>("FlashSaleEnded");
        var updated = new EventProbe<FlashSaleProgress>("FlashSaleUpdated");
        var joined = await viewer.JoinRoomAsync(room.Id, r =>
        {
            r.FlashSaleEnded += ended.Record;
            r.FlashSaleUpdated += updated.Record;
        });
        var seqAtJoin = joined.ResumePoint!.Seq;

        // Every call of the sale to the room fails, three times over: the sale sells out meanwhile.
        faults.FailNext(3);
        await using var buyer = await server.ConnectClientAsync(server.Token($"buyer-announce-{protocol}"), protocol);
        var bought = await buyer.BuyNowAsync(sale.Id, 2);
        Assert.Equal(PurchaseStatuses.Confirmed, bought.Status);

        var end = await ended.WaitAsync(s => s.Id == sale.Id, TimeSpan.FromSeconds(30), "the sale's end, after its calls to the room failed");
        Assert.True(faults.Failed >= 3, $"the fault was armed but {faults.Failed} calls failed");
        Assert.Equal(0, end.Remaining);
        Assert.NotNull(end.Seq);
        Assert.True(end.Seq > seqAtJoin);

        // The stream has no hole: the viewer saw no gap, and the room retains the end under its seq.
        Assert.Equal(0, joined.Gaps);
        var resumed = await viewer.InvokeResumeRoomAsync(room.Id, joined.ResumePoint!.Epoch, seqAtJoin);
        Assert.True(resumed.Resumed);
        Assert.Contains(resumed.Events!, e => e.Event == "FlashSaleEnded" && e.Seq == end.Seq);
    }

    /// <summary>Fails the next calls of <c>AnnounceAsync</c> to a room, as a lost message or a failing silo would.</summary>
    private sealed class AnnounceFaults : IIncomingGrainCallFilter
    {
        private int _toFail;
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public void FailNext(int count) => Volatile.Write(ref _toFail, count);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.DeclaringType == typeof(ILiveRoomGrain)
                && context.InterfaceMethod.Name == nameof(ILiveRoomGrain.AnnounceAsync)
                && Interlocked.Decrement(ref _toFail) >= 0)
            {
                Interlocked.Increment(ref _failed);
                throw new InvalidOperationException("injected: the room did not take the announcement");
            }

            return context.Invoke();
        }
    }
}
