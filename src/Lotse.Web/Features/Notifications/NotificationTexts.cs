using System.Globalization;
using Lotse.Domain.Notifications;
using Lotse.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Notifications;

public sealed record EmailText(string Subject, string Body);

/// <summary>
/// The words of a notification. The e-mail only says THAT something happened and asks the reader to sign in:
/// an advice seeker's mailbox may be read by others, so it never holds a topic, a message, a time or a name.
/// The in-app text, behind the login, names the time and the other party.
/// </summary>
public sealed class NotificationTexts(IStringLocalizer<SharedResource> t, NotificationLinks links)
{
    /// <summary>Subject and body of the e-mail, in German: users have no stored language, and German comes first.</summary>
    public EmailText Email(NotificationKind kind)
    {
        using var german = GermanCulture.Use();
        if (kind == NotificationKind.NewMailMessage)
        {
            return new EmailText(
                t["Lotse: Sie haben eine neue Nachricht"],
                string.Join(
                    "\n",
                    t["Guten Tag,"],
                    "",
                    t["Sie haben eine neue Nachricht in Ihrer Mailberatung bei Lotse."],
                    "",
                    t["Sie lesen sie, wenn Sie sich bei Lotse anmelden: {0}", links.Notifications],
                    "",
                    t["Diese Nachricht wurde automatisch versandt. Bitte antworten Sie nicht darauf."],
                    ""));
        }

        var what = kind switch
        {
            NotificationKind.AppointmentRequested => t["Ein Termin wurde angefragt."],
            NotificationKind.AppointmentConfirmed => t["Ein Termin wurde bestätigt."],
            NotificationKind.AppointmentDeclined => t["Eine Terminanfrage wurde abgelehnt."],
            NotificationKind.AppointmentCancelled => t["Ein Termin wurde abgesagt."],
            NotificationKind.AppointmentCancelledAccountDeleted => t["Ein Termin wurde abgesagt, weil die ratsuchende Person ihr Konto gelöscht hat."],
            NotificationKind.AppointmentReassigned => t["Ein Termin wurde einer anderen Berater:in übertragen."],
            _ => t["Erinnerung: Ein Termin steht bald an."],
        };
        var body = string.Join(
            "\n",
            t["Guten Tag,"],
            "",
            t["es gibt eine Neuigkeit zu einem Ihrer Termine bei Lotse: {0}", what],
            "",
            t["Die Einzelheiten sehen Sie, wenn Sie sich bei Lotse anmelden: {0}", links.Notifications],
            "",
            t["Diese Nachricht wurde automatisch versandt. Bitte antworten Sie nicht darauf."],
            "");
        return new EmailText(t["Lotse: Neuigkeiten zu Ihrem Termin"], body);
    }

    /// <summary>The sentence shown in the app, in the UI language of the request.</summary>
    /// <param name="otherParty">For the counsellor the client's nickname, for the client the counsellor's name.</param>
    public string InApp(NotificationKind kind, DateTime? startUtc, DateTime? endUtc, string? otherParty)
    {
        if (kind == NotificationKind.NewMailMessage)
        {
            return t["Sie haben eine neue Nachricht in Ihrer Mailberatung."];
        }

        // No time, no name: the appointment and the person are deleted, only the fact is left.
        if (kind == NotificationKind.AppointmentCancelledAccountDeleted)
        {
            return t["Ein Termin wurde abgesagt, weil die ratsuchende Person ihr Konto gelöscht hat. Die Zeit ist wieder frei."];
        }

        if (startUtc is not { } start || endUtc is not { } end)
        {
            return t["Es gibt eine Neuigkeit zu einem Termin."];
        }

        var when = BerlinTime.PeriodText(start, end);
        var who = otherParty ?? "";
        return kind switch
        {
            NotificationKind.AppointmentRequested => t["Der Termin am {0} mit {1} wurde angefragt.", when, who],
            NotificationKind.AppointmentConfirmed => t["Ihr Termin am {0} mit {1} wurde bestätigt.", when, who],
            NotificationKind.AppointmentDeclined => t["Die Terminanfrage für {0} mit {1} wurde abgelehnt.", when, who],
            NotificationKind.AppointmentCancelled => t["Der Termin am {0} mit {1} wurde abgesagt.", when, who],
            NotificationKind.AppointmentReassigned => t["Ihr Termin am {0} findet jetzt mit {1} statt. {1} bestätigt ihn noch.", when, who],
            _ => t["Erinnerung: Ihr Termin am {0} mit {1} steht bald an.", when, who],
        };
    }
}

/// <summary>Renders in German on threads that have no request culture (background services).</summary>
internal readonly struct GermanCulture : IDisposable
{
    private readonly CultureInfo _culture;
    private readonly CultureInfo _uiCulture;

    private GermanCulture(CultureInfo culture, CultureInfo uiCulture)
    {
        _culture = culture;
        _uiCulture = uiCulture;
    }

    public static GermanCulture Use()
    {
        var scope = new GermanCulture(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = WebSetup.German;
        CultureInfo.CurrentUICulture = WebSetup.German;
        return scope;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
