namespace Lotse.Web.Features.Counsellors;

public static class CounsellorsSetup
{
    public static void AddCounsellors(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AccountRowIds>();
        builder.Services.AddScoped<CounsellorLookup>();
        builder.Services.AddScoped<AvailabilityNotifier>();
        builder.Services.AddScoped<LoadClientAvailability>();
    }

    public static void MapCounsellors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHub<AvailabilityHub>(AvailabilityHub.Path).AllowAnonymous();
    }
}
