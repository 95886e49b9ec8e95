using System.Text.Json;
using Live.Web.Tests.Infrastructure;

namespace Live.Web.Tests.Client;

/// <summary>
/// The web viewer's client module (wwwroot/js/redlive-client.js) in real chromium, without a server behind it:
/// its RoomStream rules, and RedLiveClient over a fake HubConnection (redlive-client.scenarios.js).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RedLiveClientModuleTests(WebFixture fixture)
{
    private static readonly string Scenarios = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Client", "redlive-client.scenarios.js"));

    [Fact]
    public async Task LiveEventsWaitForTheJoinAnswerAndThoseTheSnapshotHasAreDropped()
    {
        var r = await RunAsync("buffersUntilTheAnswerAndDropsWhatTheSnapshotHas");
        Assert.Equal(0, r.GetProperty("before").GetInt32());
        Assert.Equal(["Snapshot", "ChatBatch"], Strings(r, "events"));
        Assert.Equal([10L, 11L], Numbers(r, "seqs"));
        Assert.Equal(2, r.GetProperty("duplicates").GetInt32());
        Assert.Equal(11, r.GetProperty("point").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task AnEventAtOrBelowTheNewestSeqIsDropped()
    {
        var r = await RunAsync("dropsDuplicates");
        Assert.Equal([6L, 7L], Numbers(r, "delivered"));
        Assert.Equal(2, r.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, r.GetProperty("gaps").GetInt32());
    }

    [Fact]
    public async Task AGapAsksForAResumeAndHoldsWhatFollowsUntilTheAnswer()
    {
        var r = await RunAsync("gapResumesAndHoldsWhatFollows");
        Assert.Equal([6L], Numbers(r, "first"));
        Assert.Equal(("e1", 6L), (r.GetProperty("resume").GetProperty("epoch").GetString(), r.GetProperty("resume").GetProperty("seq").GetInt64()));
        Assert.Equal(0, r.GetProperty("meanwhile").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("second").ValueKind);
        Assert.Equal([7L, 8L, 9L, 10L, 11L], Numbers(r, "after"));
        Assert.Equal("live", r.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task AnAnswerThatCannotResumeStartsAgainFromItsSnapshot()
    {
        var r = await RunAsync("snapshotFallback");
        Assert.Equal(["Snapshot", "ChatBatch"], Strings(r, "events"));
        Assert.Equal([40L, 41L], Numbers(r, "seqs"));
        Assert.Equal(("e2", 41L), (r.GetProperty("point").GetProperty("epoch").GetString(), r.GetProperty("point").GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task AServerWithoutTheEventStreamGetsEverythingAsItComes()
    {
        var r = await RunAsync("unsequencedServer");
        Assert.Equal((2, 2), (r.GetProperty("first").GetInt32(), r.GetProperty("later").GetInt32()));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("point").ValueKind);
    }

    [Fact]
    public async Task EveryEventIsDeliveredOnceInOrderWhateverTheConnectionLosesOrRepeats()
    {
        var runs = await RunAsync("lossyConnectionFuzz");
        foreach (var run in runs.EnumerateArray())
        {
            Assert.True(run.GetProperty("inOrderOnce").GetBoolean(), $"seed {run.GetProperty("seed")}: {run}");
            Assert.True(run.GetProperty("gaps").GetInt32() > 0 && run.GetProperty("duplicates").GetInt32() > 0, run.ToString());
        }
    }

    [Fact]
    public async Task TheClientClosesAGapWithResumeRoomAndDeliversInOrder()
    {
        var r = await RunAsync("clientClosesAGapWithResumeRoom");
        Assert.Equal(["snapshot 10", "chat 11", "chat 12", "gap 12", "chat 13", "chat 14", "chat 15", "chat 16", "chat 17"], Strings(r, "seen"));
        Assert.Equal("""["r1","e1",12]""", r.GetProperty("resumeArgs").GetRawText());
        Assert.Empty(r.GetProperty("pendingCalls").EnumerateArray());
    }

    [Fact]
    public async Task TheClientResumesAfterAReconnectAndFallsBackToAFreshSnapshot()
    {
        var r = await RunAsync("clientResumesAfterReconnectAndFallsBackToTheSnapshot");
        Assert.Equal(["snapshot 3", "chat 4", "chat 5", "chat 6", "snapshot 80", "chat 81"], Strings(r, "seen"));
        Assert.Equal("""["r1","e1",4]""", r.GetProperty("firstArgs").GetRawText());
        Assert.Equal("""["r1","e1",6]""", r.GetProperty("secondArgs").GetRawText());
        Assert.Equal(81, r.GetProperty("point").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task APinThatNamesNoRoomIsPlacedThroughEachRoomsResume()
    {
        var r = await RunAsync("clientPlacesAPinOfOneOfTwoRoomsThroughResume");
        Assert.Equal(["r1", "r2"], Strings(r, "asked"));
        Assert.Empty(r.GetProperty("pins").GetProperty("r1").EnumerateArray());
        Assert.Equal(["p1"], Strings(r.GetProperty("pins"), "r2"));
    }

    [Fact]
    public async Task TheClientResumesWhenTheRoomsHeartbeatIsAheadOfWhatItHas()
    {
        var r = await RunAsync("clientResumesOnAHeartbeatAheadOfWhatItHas");
        Assert.Empty(r.GetProperty("quiet").EnumerateArray());
        Assert.Equal(1, r.GetProperty("resumes").GetInt32());
        Assert.Equal("""["r1","e1",11]""", r.GetProperty("resumeArgs").GetRawText());
        Assert.Equal(["chat 11", "gap 11", "chat 12", "chat 13"], Strings(r, "seen"));
        Assert.Equal(13, r.GetProperty("point").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task APinAndASalesProgressThatNameTheirRoomArePlacedWithoutAResume()
    {
        var r = await RunAsync("clientPlacesAPinAndProgressByTheirRoomId");
        Assert.Empty(r.GetProperty("calls").EnumerateArray());
        Assert.Empty(r.GetProperty("pins").GetProperty("r1").EnumerateArray());
        Assert.Equal(["p1"], Strings(r.GetProperty("pins"), "r2"));
        Assert.Equal(["s9"], Strings(r.GetProperty("progress"), "r1"));
        Assert.Empty(r.GetProperty("progress").GetProperty("r2").EnumerateArray());
    }

    [Fact]
    public async Task RefusalsCarryTheProtocolsCodeAndALostConnectionDoesNot()
    {
        var r = await RunAsync("refusalsAreTyped");
        Assert.Equal(("LiveProtocolError", "forbidden", "join the room first"), (r.GetProperty("name").GetString(), r.GetProperty("code").GetString(), r.GetProperty("detail").GetString()));
        Assert.False(r.GetProperty("lostIsProtocol").GetBoolean());
        Assert.Equal("network", r.GetProperty("lost").GetString());
    }

    [Fact]
    public async Task BuyNowCallsBuyNowWithOrderAndConfirmsFromTheAnswerOnce()
    {
        var r = await RunAsync("buyNowConfirmsFromItsAnswerOnce");
        Assert.Equal("""["s1",1,"req-1"]""", r.GetProperty("args").GetRawText());
        Assert.Equal(("confirmed", "o1"), (r.GetProperty("status").GetString(), r.GetProperty("orderId").GetString()));
        Assert.Equal(["o1"], Strings(r, "beforeEvent"));
        Assert.Equal(["o1", "o2"], Strings(r, "confirmed"));
        Assert.Equal("confirmed", r.GetProperty("replayStatus").GetString());
        Assert.Empty(r.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task AddToCartWithAKeyCallsAddToCartWithKeyAndWithoutOneAddToCart()
    {
        var r = await RunAsync("addToCartSendsItsKey");
        Assert.Equal("""["p1",1,"r1","add-1"]""", r.GetProperty("withKey").GetRawText());
        Assert.Equal("""["p1",1,null]""", r.GetProperty("withoutKey").GetRawText());
        Assert.Equal(20, r.GetProperty("total").GetInt32());
        Assert.Empty(r.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task AGapGivenUpStillDropsTheDuplicatesThatWaitedWithIt()
    {
        var r = await RunAsync("gapGivenUpDropsWaitingDuplicates");
        Assert.Equal(5, r.GetProperty("resume").GetProperty("seq").GetInt64());
        Assert.Equal([8L, 9L], Numbers(r, "seqs"));
        Assert.Equal(1, r.GetProperty("duplicates").GetInt32());
        Assert.Equal(9, r.GetProperty("seq").GetInt64());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("again").ValueKind);
    }

    [Fact]
    public async Task ACatchUpRefusedForbiddenIsTheRemovalThatWentNowhere()
    {
        var r = await RunAsync("forbiddenCatchUpIsARemoval");
        Assert.Equal(["r1 banned"], Strings(r, "removed"));
        Assert.Equal(["forbidden"], Strings(r, "failures"));
        Assert.Empty(r.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task ACatchUpAnsweredUnavailableGoesAgainAfterAPauseAndAnotherRefusalGivesTheGapUp()
    {
        var r = await RunAsync("catchUpAnsweredUnavailableGoesAgain");
        Assert.Empty(r.GetProperty("waiting").GetProperty("seen").EnumerateArray());
        Assert.Empty(r.GetProperty("waiting").GetProperty("calls").EnumerateArray());
        Assert.Equal("""["r1","e1",3]""", r.GetProperty("againArgs").GetRawText());
        Assert.Equal(["chat 4", "chat 5", "chat 6", "chat 9"], Strings(r, "seen"));
        Assert.Equal(["unavailable", "not_found"], Strings(r, "failures"));
        Assert.Empty(r.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task ACatchUpThatFailedOnTheServerWithoutACodeGoesAgainButNotOnceTheConnectionIsDown()
    {
        var r = await RunAsync("catchUpFailedWithoutACodeGoesAgain");
        Assert.Equal("""["r1","e1",3]""", r.GetProperty("againArgs").GetRawText());
        Assert.Equal(["chat 4", "chat 5", "chat 6"], Strings(r, "seen"));
        Assert.Equal(["An unexpected error occurred invoking 'ResumeRoom' on the server."], Strings(r, "failures"));
        Assert.Empty(r.GetProperty("pending").EnumerateArray());
    }

    private static string[] Strings(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!)];

    private static long[] Numbers(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetInt64())];

    /// <summary>Runs one scenario in a page of the server (the module's origin), on the module the viewer loads.</summary>
    private async Task<JsonElement> RunAsync(string scenario)
    {
        await using var viewer = await fixture.OpenAsync(ViewerPage.Desktop, isMobile: false);
        await viewer.Page.GotoAsync("/");
        var result = await viewer.Page.EvaluateAsync<JsonElement>(
            $"async (name) => {{ const m = await import('/js/redlive-client.js'); return await ({Scenarios})(m, name); }}", scenario);
        viewer.AssertNoErrors();
        return result;
    }
}
