namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>Issue 8, counsellor administration: invitations, name and roles, disabling with hand-over, re-enabling.</summary>
public static class CounsellorAdminSetup
{
    public static void AddCounsellorAdmin(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<AdminScope>();
        services.AddScoped<InviteCounsellor>();
        services.AddScoped<AcceptInvitation>();
        services.AddScoped<ChangeCounsellor>();
        services.AddScoped<DisableCounsellor>();
        services.AddScoped<EnableCounsellor>();
        services.AddScoped<ReassignAppointment>();
    }
}
