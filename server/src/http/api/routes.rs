//! One declaration per API route: the same lines build the router and the list that the
//! authorization matrix and the OpenAPI completeness test walk, so a route cannot be added
//! without them noticing.

/// A route as declared: the method (lowercase, as axum names it) and the path under /api/v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

/// `api_routes! { get "/path" => handler, post "/other" => handler2 with layer(expr), … }`
/// defines `router()` and `ROUTES` of the calling module.
macro_rules! api_routes {
    ($( $method:ident $path:literal => $handler:expr $(, layer $layer:expr)? ;)*) => {
        pub fn router() -> axum::Router<crate::http::AppState> {
            axum::Router::new()
                $( .route($path, axum::routing::$method($handler) $(.layer($layer))?) )*
        }

        pub const ROUTES: &[crate::http::api::routes::Route] = &[
            $( crate::http::api::routes::Route { method: stringify!($method), path: $path }, )*
        ];
    };
}
pub(crate) use api_routes;
