from ratelimits.middleware import check_order

RENDER_LIMIT = "ratelimits.middleware.RenderLimitMiddleware"
PUBLIC_CACHE = "publishing.middleware.PublicCacheMiddleware"


def test_the_render_limit_before_the_public_cache_is_an_error(settings):
    assert check_order(None) == []
    others = [name for name in settings.MIDDLEWARE if name not in (RENDER_LIMIT, PUBLIC_CACHE)]
    settings.MIDDLEWARE = [*others, RENDER_LIMIT, PUBLIC_CACHE]

    [error] = check_order(None)

    assert error.id == "ratelimits.E002"
