namespace Lotse.Web.Features.AgencyAdmin;

public static class AgencyAdminSetup
{
    /// <summary>The admin's own agency, its settings as they bear on booking and new requests, and its contact.</summary>
    public static void AddAgencyAdmin(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<AdminAgency>();
        builder.Services.AddScoped<CounsellorAgencies>();
        builder.Services.AddScoped<AgencyTermsLoader>();
        builder.Services.AddScoped<AgencyContacts>();
    }
}
