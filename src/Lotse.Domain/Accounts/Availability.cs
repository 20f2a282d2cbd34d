using Lotse.Domain.Absences;

namespace Lotse.Domain.Accounts;

/// <summary>What one advice seeker can do with one counsellor right now.</summary>
/// <param name="CanBook">Appointment booking is offered (slots inside an absence are still left out by the slot planner).</param>
/// <param name="CanChat">The client may start or continue writing in a chat.</param>
/// <param name="ShownOnline">The counsellor appears as online to this client.</param>
/// <param name="CanSendMailRequest">The client may send a new mail request.</param>
/// <param name="OnlyRegularClients">The counsellor takes only regular clients; explains a refusal.</param>
/// <param name="Absence">The running absence, whose note the client sees.</param>
/// <param name="ValidUntil">When this answer may change by time alone (an absence starts or ends).</param>
public sealed record ClientAvailability(
    bool CanBook,
    bool CanChat,
    bool ShownOnline,
    bool CanSendMailRequest,
    bool OnlyRegularClients,
    AbsencePeriod? Absence,
    DateTime? ValidUntil);

/// <summary>The single decision of what the Accountstatus and absences allow a client to do.</summary>
public static class Availability
{
    public static ClientAvailability For(
        AccountStatus status,
        bool isRegularClient,
        IEnumerable<AbsencePeriod> absences,
        DateTime now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var list = absences as IReadOnlyCollection<AbsencePeriod> ?? absences.ToList();
        var absence = AbsenceRules.RunningAt(list, now);

        // Black toggle: nobody books, and only regular clients may write (seed, binding).
        var mayContact = !status.RegularClientsOnly || isRegularClient;
        var canChat = mayContact && absence is null && status.Chat != ChatMode.NotReachable;

        return new ClientAvailability(
            CanBook: !status.RegularClientsOnly,
            CanChat: canChat,
            ShownOnline: canChat && status.Chat == ChatMode.Online,
            // Mail is asynchronous: during an absence or "keine neuen Anfragen" a request is still
            // accepted and routed to the fallback, so only the toggle decides whether it may be sent.
            CanSendMailRequest: mayContact,
            OnlyRegularClients: status.RegularClientsOnly && !isRegularClient,
            Absence: absence,
            ValidUntil: AbsenceRules.NextChangeAfter(list, now));
    }
}
