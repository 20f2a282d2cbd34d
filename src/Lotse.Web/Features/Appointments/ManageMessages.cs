using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Appointments;

/// <summary>German messages for refused appointment steps (both the counsellor's and the client's list use them).</summary>
public static class ManageMessages
{
    public static string For(ManageRefusal refusal, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return refusal switch
        {
            ManageRefusal.WrongState => t["Dieser Termin kann in seinem jetzigen Zustand nicht mehr so geändert werden."],
            ManageRefusal.PastCutoff => t["So kurz vor Beginn kann der Termin nicht mehr abgesagt werden. Bitte melden Sie sich direkt."],
            ManageRefusal.ChangedMeanwhile => t["Der Termin wurde gerade anderweitig geändert. Bitte prüfen Sie ihn noch einmal."],
            _ => t["Diesen Termin gibt es nicht."],
        };
    }
}
