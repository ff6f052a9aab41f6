//! Hydration of the islands, from one WASM bundle per area of pages. An area's islands are
//! islands only with the feature `isole-<area>` of app/Cargo.toml (plain components otherwise,
//! left out of the WASM as unused), and `cargo xtask` builds each area's bundle with its feature
//! as `<output>-<area>`, by that rule; cargo-leptos' own bundle, the common one, holds only the
//! islands of no area (the login form). A page names its area's bundle (`PacchettoIsole`); the
//! island script loads it, and only when the page has an island: most pages are plain HTML and
//! download no WASM at all. Hence no preload link.

use leptos::prelude::*;
use leptos_meta::Meta;

/// The WASM bundle a page needs: its area's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pacchetto {
    Comune,
    /// The Cassetto previdenziale: requests, messages to the sede, API tokens.
    Cassetto,
    /// Prestazioni occasionali, the users' side.
    Libretto,
    /// The Fascicolo.
    Sede,
    /// Prestazioni occasionali, the sede's portal: registry, lists, samples, categories.
    Portale,
    /// Prestazioni occasionali, the sede's portal: the F24 flow, payments to match, refunds.
    Pagamenti,
    Direzione,
}

impl Pacchetto {
    /// The suffix of the feature `isole-<suffix>` and of the bundle's name.
    fn area(self) -> Option<&'static str> {
        match self {
            Pacchetto::Comune => None,
            Pacchetto::Cassetto => Some("cassetto"),
            Pacchetto::Libretto => Some("libretto"),
            Pacchetto::Sede => Some("sede"),
            Pacchetto::Portale => Some("portale"),
            Pacchetto::Pagamenti => Some("pagamenti"),
            Pacchetto::Direzione => Some("direzione"),
        }
    }

    /// The bundle's JS and WASM file names in the site's package directory, without extension.
    fn file(self, output: &str) -> (String, String) {
        match self.area() {
            Some(area) => (format!("{output}-{area}"), format!("{output}-{area}")),
            // cargo-leptos names the WASM after the output name when it sets LEPTOS_OUTPUT_NAME.
            None if option_env!("LEPTOS_OUTPUT_NAME").is_some() => (output.to_string(), output.to_string()),
            None => (output.to_string(), format!("{output}_bg")),
        }
    }
}

/// Names the page's bundle for the island script, in the head. Rendered by each area
/// (app/src/pagine.rs); a page outside every area gets the common bundle.
#[component]
pub fn PacchettoIsole(pacchetto: Pacchetto) -> impl IntoView {
    let output = use_context::<LeptosOptions>().map(|o| o.output_name.to_string()).unwrap_or_default();
    let (js, wasm) = pacchetto.file(&output);
    view! { <Meta name="sportello-pacchetto" content=format!("{js} {wasm}") /> }
}

/// The scripts that make the page's islands interactive: leptos' `HydrationScripts` in islands
/// mode, loading the page's bundle and marking the end of hydration on the body (idratazione.js).
#[component]
pub fn Idratazione(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.to_string();
    let (js, wasm) = Pacchetto::Comune.file(&options.output_name);
    let nonce = leptos::nonce::use_nonce();
    // As leptos does in islands mode: only islands' data goes into the page for hydration.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    view! {
        <script type="module" nonce=nonce>
            {format!("{}(\"\", {pkg:?}, {js:?}, {wasm:?});", include_str!("idratazione.js").trim_end())}
        </script>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_bundle_is_named_after_its_feature() {
        assert_eq!(Pacchetto::Sede.file("sportello"), ("sportello-sede".into(), "sportello-sede".into()));
        assert_eq!(Pacchetto::Libretto.file("x").0, "x-libretto");
        assert_eq!(Pacchetto::Comune.file("sportello").0, "sportello");
    }

    #[test]
    fn every_area_with_a_bundle_has_its_feature() {
        let manifest = include_str!("../Cargo.toml");
        for p in [
            Pacchetto::Cassetto,
            Pacchetto::Libretto,
            Pacchetto::Sede,
            Pacchetto::Portale,
            Pacchetto::Pagamenti,
            Pacchetto::Direzione,
        ] {
            let feature = format!("\nisole-{} = []", p.area().unwrap_or_default());
            assert!(manifest.contains(&feature), "{feature} missing from app/Cargo.toml");
        }
    }
}
