namespace Lotse.Web.Features.Dashboard;

public static class DashboardSetup
{
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<LoadDashboard>();
        builder.Services.AddScoped<ChangeAccountStatus>();
        builder.Services.Configure<PageCacheOptions>(builder.Configuration.GetSection(PageCacheOptions.Section));
        builder.Services.AddSingleton<DashboardPageCache>();
    }

    /// <summary>Last before the endpoints: authentication, the session check and the rate limits have run.</summary>
    public static void UseDashboardPageCache(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cache = app.Services.GetRequiredService<DashboardPageCache>();
        app.Use(next => context => cache.HandleAsync(context, next));
    }
}
