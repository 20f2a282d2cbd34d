using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Web.Features.Appointments;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// The appointment room's signalling and chat through the real hub, as signed-in browsers use it (cookie, long polling):
/// the waiting room, admission, relays to the other side only, checks against forged ids and bad input, the opening
/// window on the app's clock, and that nothing said in the room is stored.
/// </summary>
public abstract class RoomHubTests(DatabaseKind kind) : WebTest(kind)
{
    private const string Anna = "anna@test.lotse";
    private const string Ben = "ben@test.lotse";
    private const string Mond = "Mond";
    private const string Kompass = "Kompass";
    private const string Sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private const string NotYours = "Diesen Terminraum gibt es nicht, oder er ist nicht Ihrer.";
    private const string BadSignal = "Die Verbindungsdaten sind ungültig.";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<Peer> _peers = [];

    public override async Task DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    // ---- Waiting room and admission ----

    [Fact]
    public async Task Join_ClientBeforeCounsellor_WaitsAndSeesCounsellorAbsent()
    {
        var room = await RoomAsync();
        await using var mond = await ConnectAsync(Mond);

        var snapshot = await mond.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Equal(new RoomSnapshot("absent", "waiting"), snapshot);
    }

    [Fact]
    public async Task Join_CounsellorWhileClientWaits_CounsellorSeesWaitingAndClientSeesCounsellor()
    {
        var room = await RoomAsync();
        var mond = await ConnectAsync(Mond);
        await mond.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);
        var anna = await ConnectAsync(Anna);

        var snapshot = await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Equal(new RoomSnapshot("inRoom", "waiting"), snapshot);
        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "waiting"));
    }

    [Fact]
    public async Task Admit_Counsellor_BothInRoomAndOfferReachesOnlyTheClient()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothWaitingAsync(room);
        // Someone in another room at the same time must hear nothing of this one.
        var (_, kompassRoom) = await OtherRoomAsync();
        var kompass = await ConnectAsync(Kompass);
        await kompass.Hub.InvokeAsync<RoomSnapshot>("Join", kompassRoom.Id);

        var admitted = await anna.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id);
        await anna.Hub.InvokeAsync("Offer", room.Id, Sdp);

        Assert.Equal(new RoomSnapshot("inRoom", "inRoom"), admitted);
        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "inRoom"));
        var offer = await mond.WaitForAsync(RoomHub.OfferEvent);
        Assert.Equal(Sdp, offer.GetString());
        Assert.Empty(anna.Heard(RoomHub.OfferEvent));
        // Kompass's own next message is a barrier: anything relayed to it earlier would already be there.
        await kompass.Hub.InvokeAsync("Leave", kompassRoom.Id);
        await kompass.Hub.InvokeAsync<RoomSnapshot>("Join", kompassRoom.Id);
        Assert.All(kompass.All(), h => Assert.Equal(RoomHub.PresenceEvent, h.Name));
        Assert.All(kompass.Heard(RoomHub.PresenceEvent), p => Assert.Equal("absent", p.GetProperty("counsellor").GetString()));
    }

    [Fact]
    public async Task Answer_FromClient_ReachesOnlyTheCounsellor()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        await mond.Hub.InvokeAsync("Answer", room.Id, Sdp + "a=answer\r\n");

        var answer = await anna.WaitForAsync(RoomHub.AnswerEvent);
        Assert.Equal(Sdp + "a=answer\r\n", answer.GetString());
        Assert.Empty(mond.Heard(RoomHub.AnswerEvent));
    }

    [Fact]
    public async Task IceCandidate_Valid_RelayedToTheOtherSide()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);
        var candidate = new IceCandidateMessage("candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host generation 0", "0", 0, "abcd");

        await anna.Hub.InvokeAsync("IceCandidate", room.Id, candidate);

        var heard = await mond.WaitForAsync(RoomHub.IceCandidateEvent);
        Assert.Equal(candidate.Candidate, heard.GetProperty("candidate").GetString());
        Assert.Equal("0", heard.GetProperty("sdpMid").GetString());
        Assert.Equal(0, heard.GetProperty("sdpMLineIndex").GetInt32());
        Assert.Empty(anna.Heard(RoomHub.IceCandidateEvent));
    }

    [Fact]
    public async Task Admit_ByClient_RejectedAndClientStillWaits()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothWaitingAsync(room);

        var error = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id));

        Assert.Contains("Nur die Berater:in kann jemanden hereinlassen.", error.Message, StringComparison.Ordinal);
        Assert.Equal(new RoomSnapshot("inRoom", "waiting"), await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
    }

    [Fact]
    public async Task Admit_NobodyWaiting_GermanMessage()
    {
        var room = await RoomAsync();
        var anna = await ConnectAsync(Anna);
        await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        var error = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id));

        Assert.Contains("Gerade wartet niemand.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_WhileClientWaits_RejectedAndNotRelayed()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothWaitingAsync(room);

        var fromCounsellor = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync("Offer", room.Id, Sdp));
        var fromClient = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync("ChatMessage", room.Id, "Hallo?"));

        Assert.Contains("Die andere Person ist gerade nicht im Raum.", fromCounsellor.Message, StringComparison.Ordinal);
        Assert.Contains("Die andere Person ist gerade nicht im Raum.", fromClient.Message, StringComparison.Ordinal);
        await anna.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id);
        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "inRoom"));
        Assert.Empty(mond.Heard(RoomHub.OfferEvent));
        Assert.Empty(anna.Heard(RoomHub.ChatMessageEvent));
    }

    // ---- Presence: leaving, losing the connection, a second window ----

    [Fact]
    public async Task Leave_Client_CounsellorSeesLeftAndClientMustWaitAgain()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        await mond.Hub.InvokeAsync("Leave", room.Id);

        await anna.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "left"));
        Assert.Equal(new RoomSnapshot("inRoom", "waiting"), await mond.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
        await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync("Offer", room.Id, Sdp));
    }

    [Fact]
    public async Task Leave_Counsellor_ClientSeesLeft()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        await anna.Hub.InvokeAsync("Leave", room.Id);

        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "left", client: "inRoom"));
        await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync("ChatMessage", room.Id, "Sind Sie noch da?"));
    }

    [Fact]
    public async Task Disconnect_AdmittedClient_CounsellorSeesLeftAndClientComesStraightBack()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        await mond.Hub.StopAsync();
        await anna.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "left"));
        var back = await ConnectAsync(Mond);
        var snapshot = await back.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Equal(new RoomSnapshot("inRoom", "inRoom"), snapshot);
        await anna.Hub.InvokeAsync("Offer", room.Id, Sdp);
        Assert.Equal(Sdp, (await back.WaitForAsync(RoomHub.OfferEvent)).GetString());
    }

    [Fact]
    public async Task Join_ClientInSecondWindow_FirstIsReplacedAndCounsellorSeesReturnForNewCall()
    {
        var room = await RoomAsync();
        var (anna, first) = await BothInRoomAsync(room);
        var second = await ConnectAsync(Mond);

        var snapshot = await second.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Equal(new RoomSnapshot("inRoom", "inRoom"), snapshot);
        await first.WaitForAsync(RoomHub.ReplacedEvent);
        // The counsellor sees the client leave and come back, which is what starts a fresh call on its page.
        var presences = await anna.WaitForSequenceAsync(RoomHub.PresenceEvent, p => Is(p, "inRoom", "left"), p => Is(p, "inRoom", "inRoom"));
        Assert.Equal(2, presences.Count);
        await anna.Hub.InvokeAsync("Offer", room.Id, Sdp);
        await second.WaitForAsync(RoomHub.OfferEvent);
        await Assert.ThrowsAsync<HubException>(() => first.Hub.InvokeAsync("Answer", room.Id, Sdp));
    }

    // ---- Someone else's room ----

    [Theory]
    [InlineData(Kompass)]
    [InlineData(Ben)]
    public async Task Join_SomeoneElse_HubExceptionAndHearsNothing(string intruderName)
    {
        var room = await RoomAsync();
        await OtherRoomAsync();
        var (anna, mond) = await BothWaitingAsync(room);
        var intruder = await ConnectAsync(intruderName);

        var error = await Assert.ThrowsAsync<HubException>(() => intruder.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));

        Assert.Contains(NotYours, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Mond, error.Message, StringComparison.Ordinal);
        await anna.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id);
        await anna.Hub.InvokeAsync("Offer", room.Id, Sdp);
        await mond.WaitForAsync(RoomHub.OfferEvent);
        await Assert.ThrowsAsync<HubException>(() => intruder.Hub.InvokeAsync("Offer", room.Id, Sdp));
        Assert.Empty(intruder.All());
    }

    [Fact]
    public async Task Offer_ForgedIdOfAnotherRoom_HubExceptionAndNothingRelayed()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);
        var (_, bensRoom) = await OtherRoomAsync();
        // Ben is a counsellor in his own open room: his membership there must not open Anna's.
        var ben = await ConnectAsync(Ben);
        await ben.Hub.InvokeAsync<RoomSnapshot>("Join", bensRoom.Id);

        var offer = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync("Offer", room.Id, Sdp + "a=forged\r\n"));
        var chat = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync("ChatMessage", room.Id, "Gefälscht"));
        var candidate = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync("IceCandidate", room.Id, new IceCandidateMessage("candidate:1 1 udp 1 10.0.0.1 1 typ host", "0", 0, null)));
        var admit = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id));
        var media = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync("MediaState", room.Id, new MediaStateMessage(false, false)));
        var leave = await Assert.ThrowsAsync<HubException>(() => ben.Hub.InvokeAsync("Leave", room.Id));

        Assert.All(new[] { offer, chat, candidate, admit, media, leave }, e => Assert.Contains(NotYours, e.Message, StringComparison.Ordinal));
        // Anna's own offer after the forged ones: had any been relayed, Mond would have heard it first.
        await anna.Hub.InvokeAsync("ChatMessage", room.Id, "Echt");
        Assert.Equal("Echt", (await mond.WaitForAsync(RoomHub.ChatMessageEvent)).GetString());
        Assert.Empty(mond.Heard(RoomHub.OfferEvent));
        Assert.Empty(mond.Heard(RoomHub.IceCandidateEvent));
        Assert.Empty(mond.Heard(RoomHub.MediaStateEvent));
        Assert.Single(mond.Heard(RoomHub.ChatMessageEvent));
        Assert.Empty(anna.Heard(RoomHub.ChatMessageEvent));
    }

    [Fact]
    public async Task Connect_Anonymous_Unauthorized()
    {
        await using var anonymous = Connection(App, cookies: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    // ---- Bad input ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hallo")]
    [InlineData("v=1\r\n")]
    [InlineData(" v=0\r\n")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Offer_MalformedSdp_RejectedAndRoomKeepsWorking(string? sdp)
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        var error = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync("Offer", room.Id, sdp));

        Assert.Contains(BadSignal, error.Message, StringComparison.Ordinal);
        await anna.Hub.InvokeAsync("Offer", room.Id, Sdp);
        Assert.Equal(Sdp, (await mond.WaitForAsync(RoomHub.OfferEvent)).GetString());
        Assert.Single(mond.Heard(RoomHub.OfferEvent));
    }

    [Fact]
    public async Task Offer_SdpOfMaximumSize_RelayedAndOneCharacterMoreRejected()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);
        var largest = Sdp + new string('a', RoomHub.MaxSdpLength - Sdp.Length);

        var error = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync("Answer", room.Id, largest + "a"));
        await mond.Hub.InvokeAsync("Answer", room.Id, largest);

        Assert.Contains(BadSignal, error.Message, StringComparison.Ordinal);
        var answer = await anna.WaitForAsync(RoomHub.AnswerEvent);
        Assert.Equal(RoomHub.MaxSdpLength, answer.GetString()!.Length);
        Assert.Single(anna.Heard(RoomHub.AnswerEvent));
    }

    public static TheoryData<IceCandidateMessage> BadCandidates => new()
    {
        new IceCandidateMessage(null, "0", 0, null),
        new IceCandidateMessage("a=candidate:1 1 udp 1 10.0.0.1 1 typ host", "0", 0, null),
        new IceCandidateMessage("candidate:1 1 udp 1 10.0.0.1 1 typ host\r\na=evil", "0", 0, null),
        new IceCandidateMessage("candidate:" + new string('1', RoomHub.MaxCandidateLength), "0", 0, null),
        new IceCandidateMessage("candidate:1 1 udp 1 10.0.0.1 1 typ host", new string('m', 65), 0, null),
        new IceCandidateMessage("candidate:1 1 udp 1 10.0.0.1 1 typ host", "0", -1, null),
    };

    [Theory]
    [MemberData(nameof(BadCandidates))]
    public async Task IceCandidate_Malformed_RejectedAndNotRelayed(IceCandidateMessage candidate)
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        var error = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync("IceCandidate", room.Id, candidate));

        Assert.Contains(BadSignal, error.Message, StringComparison.Ordinal);
        await anna.Hub.InvokeAsync("ChatMessage", room.Id, "weiter");
        await mond.WaitForAsync(RoomHub.ChatMessageEvent);
        Assert.Empty(mond.Heard(RoomHub.IceCandidateEvent));
    }

    // ---- Chat and media state ----

    [Fact]
    public async Task ChatMessage_BothWays_RelayedToTheOtherSideAndNothingStored()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);
        var fromAnna = "Guten Tag, hören Sie mich? " + Guid.NewGuid().ToString("N");
        var fromMond = "Ja, aber ohne Kamera <b>fett</b> " + Guid.NewGuid().ToString("N");

        await anna.Hub.InvokeAsync("ChatMessage", room.Id, fromAnna);
        await mond.Hub.InvokeAsync("ChatMessage", room.Id, "  " + fromMond + "\n");

        Assert.Equal(fromAnna, (await mond.WaitForAsync(RoomHub.ChatMessageEvent)).GetString());
        Assert.Equal(fromMond, (await anna.WaitForAsync(RoomHub.ChatMessageEvent)).GetString());
        Assert.Single(mond.Heard(RoomHub.ChatMessageEvent));
        Assert.Single(anna.Heard(RoomHub.ChatMessageEvent));
        // Nothing is recorded: no table holds either text (the scan itself must find what is stored, e.g. the nickname).
        Assert.True(await DatabaseContainsAsync(Mond));
        Assert.False(await DatabaseContainsAsync(fromAnna[^32..]));
        Assert.False(await DatabaseContainsAsync(fromMond[^32..]));
    }

    [Fact]
    public async Task ChatMessage_TooLongOrEmpty_GermanMessageAndNotRelayed()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        var tooLong = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync("ChatMessage", room.Id, new string('x', RoomHub.MaxChatLength + 1)));
        var empty = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync("ChatMessage", room.Id, " \n "));
        await mond.Hub.InvokeAsync("ChatMessage", room.Id, new string('y', RoomHub.MaxChatLength));

        Assert.Contains("Eine Nachricht darf höchstens 2000 Zeichen lang sein.", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("Bitte schreiben Sie eine Nachricht.", empty.Message, StringComparison.Ordinal);
        Assert.Equal(new string('y', RoomHub.MaxChatLength), (await anna.WaitForAsync(RoomHub.ChatMessageEvent)).GetString());
        Assert.Single(anna.Heard(RoomHub.ChatMessageEvent));
    }

    [Fact]
    public async Task MediaState_CameraOff_RelayedToTheOtherSide()
    {
        var room = await RoomAsync();
        var (anna, mond) = await BothInRoomAsync(room);

        await mond.Hub.InvokeAsync("MediaState", room.Id, new MediaStateMessage(Camera: false, Microphone: true));

        var state = await anna.WaitForAsync(RoomHub.MediaStateEvent);
        Assert.False(state.GetProperty("camera").GetBoolean());
        Assert.True(state.GetProperty("microphone").GetBoolean());
        Assert.Empty(mond.Heard(RoomHub.MediaStateEvent));
    }

    // ---- The opening window on the app's clock ----

    [Fact]
    public async Task Join_BeforeWindow_RejectedWithOpeningTimeUntilItOpens()
    {
        // 09:00 UTC is 10:00 in Berlin; the room opens 15 minutes earlier.
        var room = await RoomAsync(start: Now.AddHours(1));
        var anna = await ConnectAsync(Anna);

        var early = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
        App.Clock.Advance(TimeSpan.FromMinutes(45) - TimeSpan.FromTicks(1));
        var stillEarly = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
        App.Clock.Advance(TimeSpan.FromTicks(1));
        var snapshot = await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Contains("Der Raum öffnet am Di, 24.11.2026, 09:45 Uhr.", early.Message, StringComparison.Ordinal);
        Assert.Contains("Der Raum öffnet am", stillEarly.Message, StringComparison.Ordinal);
        Assert.Equal(new RoomSnapshot("inRoom", "absent"), snapshot);
    }

    [Fact]
    public async Task Offer_AfterWindowCloses_RejectedButLeaveStillTellsTheOtherSide()
    {
        var room = await RoomAsync(start: Now.AddMinutes(-50), minutes: 50);
        var (anna, mond) = await BothInRoomAsync(room);

        App.Clock.Advance(TimeSpan.FromMinutes(15));
        var offer = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync("Offer", room.Id, Sdp));
        var join = await Assert.ThrowsAsync<HubException>(() => mond.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
        await anna.Hub.InvokeAsync("Leave", room.Id);

        Assert.Contains("Der Raum ist geschlossen.", offer.Message, StringComparison.Ordinal);
        Assert.Contains("Der Raum ist geschlossen.", join.Message, StringComparison.Ordinal);
        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "left", client: "inRoom"));
        Assert.Empty(mond.Heard(RoomHub.OfferEvent));
    }

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Cancelled)]
    public async Task Join_NotConfirmed_Rejected(AppointmentStatus status)
    {
        var room = await RoomAsync(status: status);
        var anna = await ConnectAsync(Anna);

        var error = await Assert.ThrowsAsync<HubException>(() => anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));

        Assert.Contains("Der Termin ist nicht bestätigt; der Raum ist geschlossen.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_ConfiguredToOpenThirtyMinutesBefore_OpenAfterTwentyFiveMinutesBefore()
    {
        var room = await RoomAsync(start: Now.AddMinutes(25));
        await using var configured = App.WithWebHostBuilder(b => b.UseSetting("Room:OpensMinutesBefore", "30"));
        // Disposed before the app it talks to (declared after it).
        await using var anna = new Peer(Connection(configured, await SignInAsync(configured, Anna)));
        await anna.Hub.StartAsync();

        var snapshot = await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id);

        Assert.Equal(new RoomSnapshot("inRoom", "absent"), snapshot);
        // The default app, 15 minutes, still says no.
        var standard = await ConnectAsync(Anna);
        await Assert.ThrowsAsync<HubException>(() => standard.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
    }

    // ---- Helpers ----

    private static bool Is(JsonElement presence, string counsellor, string client) =>
        presence.GetProperty("counsellor").GetString() == counsellor && presence.GetProperty("client").GetString() == client;

    /// <summary>Anna's confirmed appointment with Mond; by default it started five minutes ago, so the room is open.</summary>
    private async Task<Appointment> RoomAsync(DateTime? start = null, int minutes = 50, AppointmentStatus status = AppointmentStatus.Confirmed)
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync(Mond);
        return await AddAppointmentAsync(anna, mond, start ?? Now.AddMinutes(-5), status, minutes);
    }

    /// <summary>Ben's open appointment with Kompass at the same time.</summary>
    private async Task<(Counsellor Ben, Appointment Room)> OtherRoomAsync()
    {
        var ben = await AddCounsellorAsync(Ben);
        var kompass = await AddClientAsync(Kompass);
        return (ben, await AddAppointmentAsync(ben, kompass, Now.AddMinutes(-5), AppointmentStatus.Confirmed));
    }

    private async Task<(Peer Anna, Peer Mond)> BothWaitingAsync(Appointment room)
    {
        var mond = await ConnectAsync(Mond);
        Assert.Equal("waiting", (await mond.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id)).Client);
        var anna = await ConnectAsync(Anna);
        Assert.Equal(new RoomSnapshot("inRoom", "waiting"), await anna.Hub.InvokeAsync<RoomSnapshot>("Join", room.Id));
        return (anna, mond);
    }

    private async Task<(Peer Anna, Peer Mond)> BothInRoomAsync(Appointment room)
    {
        var (anna, mond) = await BothWaitingAsync(room);
        Assert.Equal(new RoomSnapshot("inRoom", "inRoom"), await anna.Hub.InvokeAsync<RoomSnapshot>("Admit", room.Id));
        await mond.WaitForAsync(RoomHub.PresenceEvent, p => Is(p, counsellor: "inRoom", client: "inRoom"));
        return (anna, mond);
    }

    private async Task<Peer> ConnectAsync(string userName)
    {
        var peer = Track(new Peer(Connection(App, await SignInAsync(App, userName))));
        await peer.Hub.StartAsync();
        return peer;
    }

    private Peer Track(Peer peer)
    {
        _peers.Add(peer);
        return peer;
    }

    /// <summary>Signs in through the real login form and returns the cookie jar that now holds the auth cookie.</summary>
    private static async Task<CookieContainer> SignInAsync(WebApplicationFactory<Program> app, string userName)
    {
        var cookies = new CookieContainer();
        using var http = app.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        var response = await SignInThroughFormAsync(app, http, userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(cookies.GetCookies(LotseAppFactory.HttpsBase), c => c.Name == "__Host-lotse.auth");
        return cookies;
    }

    private static HubConnection Connection(WebApplicationFactory<Program> app, CookieContainer? cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, RoomHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => cookies is null
                    ? app.Server.CreateHandler()
                    : new CookieContainerHandler(cookies) { InnerHandler = app.Server.CreateHandler() };
            })
            .Build();

    /// <summary>True when any row of any table of the app's model holds <paramref name="text"/> in a text column.</summary>
    private Task<bool> DatabaseContainsAsync(string text) =>
        WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            try
            {
                var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
                Assert.Contains("Appointments", tables);
                foreach (var table in tables)
                {
                    await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table names come from the app's own EF model, not from input.
                    command.CommandText = $"SELECT * FROM \"{table}\"";
#pragma warning restore CA2100
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            if (!await reader.IsDBNullAsync(i) && reader.GetValue(i) is string value && value.Contains(text, StringComparison.Ordinal))
                            {
                                return true;
                            }
                        }
                    }
                }

                return false;
            }
            finally
            {
                await connection.CloseAsync();
            }
        });

    /// <summary>One signed-in person's hub connection, recording every room event it hears.</summary>
    private sealed class Peer : IAsyncDisposable
    {
        private static readonly string[] Events =
        [
            RoomHub.PresenceEvent, RoomHub.OfferEvent, RoomHub.AnswerEvent, RoomHub.IceCandidateEvent, RoomHub.ChatMessageEvent, RoomHub.MediaStateEvent,
        ];

        private readonly Lock _lock = new();
        private readonly List<(string Name, JsonElement Payload)> _heard = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Peer(HubConnection hub)
        {
            Hub = hub;
            foreach (var name in Events)
            {
                hub.On<JsonElement>(name, payload => Add(name, payload.Clone()));
            }

            hub.On(RoomHub.ReplacedEvent, () => Add(RoomHub.ReplacedEvent, default));
        }

        public HubConnection Hub { get; }

        public List<(string Name, JsonElement Payload)> All()
        {
            lock (_lock)
            {
                return _heard.ToList();
            }
        }

        public List<JsonElement> Heard(string name) => All().Where(h => h.Name == name).Select(h => h.Payload).ToList();

        public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null) =>
            (await WaitForSequenceAsync(name, match ?? (_ => true)))[^1];

        /// <summary>Waits until the events named <paramref name="name"/> contain matches for the steps, in this order.</summary>
        public async Task<IReadOnlyList<JsonElement>> WaitForSequenceAsync(string name, params Func<JsonElement, bool>[] steps)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    var found = new List<JsonElement>();
                    foreach (var (heardName, payload) in _heard)
                    {
                        if (found.Count < steps.Length && heardName == name && steps[found.Count](payload))
                        {
                            found.Add(payload);
                        }
                    }

                    if (found.Count == steps.Length)
                    {
                        return found;
                    }

                    changed = _changed.Task;
                }

                var left = Patience - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"No '{name}' as expected within {Patience}. Heard: {string.Join(", ", All().Select(h => h.Name + " " + h.Payload))}");
                }

                try
                {
                    await changed.WaitAsync(left);
                }
                catch (TimeoutException)
                {
                    // Checked once more above, then reported with what was heard.
                }
            }
        }

        public async ValueTask DisposeAsync() => await Hub.DisposeAsync();

        private void Add(string name, JsonElement payload)
        {
            lock (_lock)
            {
                _heard.Add((name, payload));
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.SetResult();
            }
        }
    }
}

public sealed class RoomHubTestsOnSqlite() : RoomHubTests(DatabaseKind.Sqlite);

public sealed class RoomHubTestsOnPostgres() : RoomHubTests(DatabaseKind.Postgres);
