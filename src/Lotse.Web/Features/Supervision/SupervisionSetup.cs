namespace Lotse.Web.Features.Supervision;

public static class SupervisionSetup
{
    public static void AddSupervision(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SupervisionTexts>();
        builder.Services.AddScoped<SupervisionNotifier>();
        builder.Services.AddScoped<LoadSupervision>();
        builder.Services.AddScoped<LoadStatistics>();
        builder.Services.AddSignalR();
    }

    public static void MapSupervision(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHub<SupervisionHub>(SupervisionHub.Path);
    }
}
