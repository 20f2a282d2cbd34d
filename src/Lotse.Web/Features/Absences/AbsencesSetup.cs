namespace Lotse.Web.Features.Absences;

public static class AbsencesSetup
{
    public static void AddAbsences(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<AbsenceAccess>();
        builder.Services.AddScoped<SaveAbsence>();
    }
}
