namespace Lotse.Web.Features.Absences;

/// <summary>What the shared absence form needs: the values, a start that cannot move (running absence), and the admin query.</summary>
public sealed record AbsenceFormView(AbsenceForm Form, DateTime? StartFixed, string Query);
