using Lotse.Domain.Appointments;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Appointments;

/// <summary>An ICE candidate as the browser's <c>RTCIceCandidate.toJSON()</c> gives it.</summary>
public sealed record IceCandidateMessage(string? Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment);

/// <summary>Whether a side's camera and microphone are on.</summary>
public sealed record MediaStateMessage(bool Camera, bool Microphone);

/// <summary>
/// Signalling and chat of the appointment room (1:1 WebRTC, peer to peer). Every method takes the appointment id and
/// checks on every call, in the database, that the caller is that appointment's counsellor or client and that the room
/// is open now; the id alone proves nothing. Messages go to the other side's registered connection only and are never
/// stored: nothing is recorded.
/// </summary>
[Authorize]
public sealed class RoomHub(RoomMembership membership, RoomRegistry registry, IStringLocalizer<SharedResource> t) : Hub
{
    public const string Path = "/hubs/raum";

    /// <summary>64 KiB: a real offer with every codec is a few KB; anything bigger is not an SDP we need.</summary>
    public const int MaxSdpLength = 64 * 1024;

    public const int MaxCandidateLength = 1024;

    public const int MaxChatLength = 2000;

    public const string PresenceEvent = "presence";
    public const string OfferEvent = "offer";
    public const string AnswerEvent = "answer";
    public const string IceCandidateEvent = "iceCandidate";
    public const string ChatMessageEvent = "chatMessage";
    public const string MediaStateEvent = "mediaState";

    /// <summary>The same person opened the room in another window; this one is out.</summary>
    public const string ReplacedEvent = "replaced";

    /// <summary>The client enters the waiting room (or the room, if admitted before a lost connection); the counsellor enters the room.</summary>
    public async Task<RoomSnapshot> Join(Guid appointmentId)
    {
        var me = await MemberInOpenRoomAsync(appointmentId);
        var change = registry.Join(appointmentId, me.Party, Context.ConnectionId);
        if (change.Replaced is { } replaced)
        {
            await Clients.Client(replaced).SendAsync(ReplacedEvent);
        }

        if (change is { Interim: { } interim, InterimTo: { } other })
        {
            await Clients.Client(other).SendAsync(PresenceEvent, interim);
        }

        await TellAsync(change);
        return change.Snapshot;
    }

    /// <summary>The counsellor lets the waiting client in.</summary>
    public async Task<RoomSnapshot> Admit(Guid appointmentId)
    {
        var me = await MemberInOpenRoomAsync(appointmentId);
        if (me.Party != AppointmentParty.Counsellor)
        {
            throw new HubException(t["Nur die Berater:in kann jemanden hereinlassen."]);
        }

        var change = registry.Admit(appointmentId, Context.ConnectionId)
            ?? throw new HubException(t["Gerade wartet niemand."]);
        await TellAsync(change);
        return change.Snapshot;
    }

    /// <summary>
    /// Leaves the room. Membership is checked, the opening time is not: leaving a room that has just closed must still
    /// tell the other side, and it cannot do harm.
    /// </summary>
    public async Task Leave(Guid appointmentId)
    {
        var me = await MemberAsync(appointmentId);
        if (registry.Leave(appointmentId, me.Party, Context.ConnectionId) is { } change)
        {
            await TellAsync(change);
        }
    }

    public async Task Offer(Guid appointmentId, string sdp)
    {
        CheckSdp(sdp);
        await RelayAsync(appointmentId, OfferEvent, sdp);
    }

    public async Task Answer(Guid appointmentId, string sdp)
    {
        CheckSdp(sdp);
        await RelayAsync(appointmentId, AnswerEvent, sdp);
    }

    public async Task IceCandidate(Guid appointmentId, IceCandidateMessage candidate)
    {
        // An empty candidate is the browser's "no more candidates"; anything else is one line of SDP.
        if (candidate is null
            || candidate.Candidate is not { Length: <= MaxCandidateLength } line
            || (line.Length > 0 && !line.StartsWith("candidate:", StringComparison.Ordinal))
            || line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal)
            || candidate.SdpMid is { Length: > 64 }
            || candidate.SdpMLineIndex is < 0 or > 64
            || candidate.UsernameFragment is { Length: > 256 })
        {
            throw new HubException(t["Die Verbindungsdaten sind ungültig."]);
        }

        await RelayAsync(appointmentId, IceCandidateEvent, candidate);
    }

    /// <summary>Plain text to the other side only; never stored.</summary>
    public async Task ChatMessage(Guid appointmentId, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HubException(t["Bitte schreiben Sie eine Nachricht."]);
        }

        if (text.Length > MaxChatLength)
        {
            throw new HubException(t["Eine Nachricht darf höchstens {0} Zeichen lang sein.", MaxChatLength]);
        }

        await RelayAsync(appointmentId, ChatMessageEvent, text.Trim());
    }

    public Task MediaState(Guid appointmentId, MediaStateMessage state)
    {
        if (state is null)
        {
            throw new HubException(t["Die Verbindungsdaten sind ungültig."]);
        }

        return RelayAsync(appointmentId, MediaStateEvent, state);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var change in registry.Disconnected(Context.ConnectionId))
        {
            await TellAsync(change);
        }

        await base.OnDisconnectedAsync(exception);
    }

    private async Task RelayAsync(Guid appointmentId, string eventName, object payload)
    {
        var me = await MemberInOpenRoomAsync(appointmentId);
        var peer = registry.Peer(appointmentId, me.Party, Context.ConnectionId)
            ?? throw new HubException(t["Die andere Person ist gerade nicht im Raum."]);
        await Clients.Client(peer).SendAsync(eventName, payload);
    }

    private void CheckSdp(string? sdp)
    {
        if (sdp is not { Length: > 0 and <= MaxSdpLength } || !sdp.StartsWith("v=0", StringComparison.Ordinal))
        {
            throw new HubException(t["Die Verbindungsdaten sind ungültig."]);
        }
    }

    private async Task<RoomMember> MemberAsync(Guid appointmentId) =>
        await membership.FindAsync(appointmentId, Context.UserIdentifier, Context.ConnectionAborted)
        ?? throw new HubException(t["Diesen Terminraum gibt es nicht, oder er ist nicht Ihrer."]);

    private async Task<RoomMember> MemberInOpenRoomAsync(Guid appointmentId)
    {
        var me = await MemberAsync(appointmentId);
        return me.Access switch
        {
            RoomOpen => me,
            RoomNotYetOpen notYet => throw new HubException(t["Der Raum öffnet am {0}.", BerlinTime.DateTimeText(notYet.OpensAtUtc)]),
            RoomClosed => throw new HubException(t["Der Raum ist geschlossen."]),
            _ => throw new HubException(t["Der Termin ist nicht bestätigt; der Raum ist geschlossen."]),
        };
    }

    // No cancellation token: these go to other connections too, and when called from OnDisconnectedAsync the caller's
    // own token is already cancelled while the other side still has to hear that it left.
    private Task TellAsync(RoomChange change) =>
        Task.WhenAll(change.Notify.Select(c => Clients.Client(c).SendAsync(PresenceEvent, change.Snapshot)));
}
