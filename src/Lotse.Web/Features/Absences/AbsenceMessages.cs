using Lotse.Domain.Absences;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

/// <summary>A rule's refusal as a German message on the field it concerns.</summary>
public static class AbsenceMessages
{
    public static void Add(ModelStateDictionary modelState, IStringLocalizer t, AbsenceProblem problem)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(problem);
        var (field, message) = problem.Kind switch
        {
            AbsenceProblemKind.EndNotAfterStart => (nameof(AbsenceForm.ToDate), t["Das Ende muss nach dem Beginn liegen."].Value),
            AbsenceProblemKind.Overlap => (nameof(AbsenceForm.FromDate), t["Dieser Zeitraum überschneidet sich mit der Abwesenheit {0}.", BerlinTime.PeriodText(problem.Overlapping!.StartUtc, problem.Overlapping.EndUtc)].Value),
            AbsenceProblemKind.NoteTooLong => (nameof(AbsenceForm.Note), t["Die „{0}“ darf höchstens {1} Zeichen lang sein.", t["Notiz für Ratsuchende"], Absence.MaxNoteLength].Value),
            AbsenceProblemKind.NoteNotPlainText => (nameof(AbsenceForm.Note), t["Die „Notiz für Ratsuchende“ ist reiner Text: Bitte lassen Sie die Zeichen < und > weg."].Value),
            AbsenceProblemKind.StartsInPast => (nameof(AbsenceForm.FromDate), t["Der Beginn liegt in der Vergangenheit. Eine Abwesenheit beginnt frühestens jetzt."].Value),
            AbsenceProblemKind.EndsInPast => (nameof(AbsenceForm.ToDate), t["Das Ende liegt in der Vergangenheit. Um die Abwesenheit sofort zu beenden, nutzen Sie „Jetzt beenden“."].Value),
            AbsenceProblemKind.PastPartChanged => (nameof(AbsenceForm.FromDate), t["Diese Abwesenheit läuft schon; ihr Beginn kann nicht mehr geändert werden."].Value),
            AbsenceProblemKind.AlreadyOver => ("", t["Diese Abwesenheit ist vorbei und kann nicht mehr geändert werden."].Value),
            AbsenceProblemKind.NotRunning => ("", t["Diese Abwesenheit läuft gerade nicht."].Value),
            _ => ("", t["Eine laufende Abwesenheit kann nicht gelöscht werden. Sie können sie jetzt beenden."].Value),
        };
        modelState.AddModelError(field.Length == 0 ? "" : $"{AbsenceForm.Prefix}.{field}", message);
    }
}
