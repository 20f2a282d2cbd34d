using Lotse.Domain.Chat;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Chat;

/// <summary>Why a client cannot chat now, the absence note if there is one, and what they can do instead.</summary>
public sealed record ChatRefusalText(string Reason, string? AbsenceNote, IReadOnlyList<string> Alternatives, bool CanSendMail, bool CanBook)
{
    /// <summary>All of it in one text, for an error message.</summary>
    public override string ToString() =>
        string.Join(" ", new[] { Reason, AbsenceNote }.OfType<string>().Concat(Alternatives));
}

/// <summary>The chat's German texts (through the localizer) for refusals and invalid input.</summary>
public sealed class ChatTexts(IStringLocalizer<SharedResource> t)
{
    public string NotYours => t["Diesen Chat gibt es nicht, oder er ist nicht Ihrer."];

    public string NoChatAccount => t["Der Chat ist nur für Berater:innen und ratsuchende Personen."];

    public string OnlyClientsStart => t["Nur ratsuchende Personen können einen Chat beginnen."];

    public string OnlyCounsellorCloses => t["Nur die Berater:in kann den Chat beenden."];

    public string CounsellorNotFound => t["Diese Berater:in gibt es nicht."];

    public string TooFast => t["Sie schreiben sehr schnell. Bitte warten Sie einen Moment und senden Sie dann erneut."];

    public string MissingMessageId => t["Die Nachricht hat keine gültige Kennung."];

    public string Problem(ChatTextProblem problem) => problem switch
    {
        ChatTextProblem.TooLong => t["Eine Nachricht darf höchstens {0} Zeichen lang sein.", ChatMessage.MaxLength],
        _ => t["Bitte schreiben Sie eine Nachricht."],
    };

    /// <summary>For the counsellor, a refusal can only mean "closed"; for a client it explains the status.</summary>
    public string Refusal(ChatVerdict verdict, CounsellorAvailabilityView? view) =>
        view is null || verdict == ChatVerdict.Closed ? Closed(view) : ForClient(verdict, view).ToString();

    public string Closed(CounsellorAvailabilityView? view) =>
        view is null
            ? t["Dieser Chat ist beendet."]
            : t["Dieser Chat ist beendet. Auf der Seite von {0} können Sie einen neuen Chat beginnen.", view.DisplayName];

    public ChatRefusalText ForClient(ChatVerdict verdict, CounsellorAvailabilityView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var a = view.Availability;
        var name = view.DisplayName;
        if (verdict == ChatVerdict.AgencyClosed && view.Closure is { } closure)
        {
            return new ChatRefusalText(
                t["„{0}“ nimmt zurzeit keine neuen Anfragen an.", closure.AgencyName],
                closure.Message,
                [closure.PointerAgencyName is { } pointer ? t["Bitte wenden Sie sich an: {0}.", pointer] : t["Bitte wenden Sie sich an eine andere Beratungsstelle."]],
                false,
                false);
        }

        string reason = verdict switch
        {
            ChatVerdict.Absent when a.Absence is { } absence => t["{0} ist bis {1} abwesend. Ein Chat ist bis dahin nicht möglich.", name, BerlinTime.DateTimeText(absence.EndUtc)],
            ChatVerdict.OnlyRegularClients => t["{0} nimmt derzeit nur Stammklient:innen an. Ein Chat ist deshalb nicht möglich.", name],
            ChatVerdict.Closed => Closed(view),
            _ => t["{0} ist für den Chat derzeit nicht erreichbar.", name],
        };
        string? note = a.Absence is { Note.Length: > 0 } withNote ? t["Hinweis von {0}: {1}", name, withNote.Note].Value : null;

        var alternatives = new List<string>();
        if (a.CanSendMailRequest)
        {
            alternatives.Add(t["Sie können {0} eine Mailanfrage senden.", name]);
        }

        if (a.CanBook)
        {
            alternatives.Add(t["Sie können einen Termin bei {0} buchen.", name]);
        }

        if (alternatives.Count == 0)
        {
            alternatives.Add(t["Bitte wenden Sie sich an eine andere Berater:in."]);
        }

        return new ChatRefusalText(reason, note, alternatives, a.CanSendMailRequest, a.CanBook);
    }
}
