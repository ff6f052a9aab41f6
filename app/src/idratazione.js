// leptos' island script (leptos 0.8, hydration/island_script.js), with three changes: it loads the
// bundle the page names in `<meta name="sportello-pacchetto">` (its area's, idratazione.rs); a
// page without islands loads none; once every island has hydrated and the effects they scheduled
// have run, the body is marked `data-hydrated` for the tests and scripts that wait for an
// interactive page.
((root, pkg_path, output_name, wasm_output_name) => {
	const pacchetto = document.querySelector('meta[name="sportello-pacchetto"]');
	if (pacchetto) {
		[output_name, wasm_output_name] = pacchetto.content.split(" ");
	}
	let MOST_RECENT_CHILDREN_CB = [];

	function idle(c) {
		if ("requestIdleCallback" in window) {
			window.requestIdleCallback(c);
		} else {
			c();
		}
	}
	async function hydrateIslands(rootNode, mod) {
		async function traverse(node) {
			if (node.nodeType === Node.ELEMENT_NODE) {
				const tag = node.tagName.toLowerCase();
				if (tag === "leptos-island") {
					const id = node.dataset.component || null;
					await hydrateIsland(node, id, mod);
					for (const child of node.children) {
						await traverse(child);
					}
				} else if (tag === "leptos-children") {
					MOST_RECENT_CHILDREN_CB.push(node.$$on_hydrate);
					for (const child of node.children) {
						await traverse(child);
					}
					MOST_RECENT_CHILDREN_CB.pop();
				} else {
					for (const child of node.children) {
						await traverse(child);
					}
				}
			}
		}
		await traverse(rootNode);
	}
	async function hydrateIsland(el, id, mod) {
		const islandFn = mod[id];
		if (islandFn) {
			const children_cb = MOST_RECENT_CHILDREN_CB[MOST_RECENT_CHILDREN_CB.length - 1];
			if (children_cb) {
				children_cb();
			}
			const res = islandFn(el);
			if (res && res.then) {
				await res;
			}
		} else {
			console.warn(`Could not find WASM function for the island ${id}.`);
		}
	}
	if (!document.querySelector("leptos-island")) {
		document.body.setAttribute("data-hydrated", "1");
		return;
	}
	idle(() => {
		import(`${root}/${pkg_path}/${output_name}.js`).then((mod) => {
			mod.default({ module_or_path: `${root}/${pkg_path}/${wasm_output_name}.wasm` }).then(async () => {
				mod.hydrate();
				await hydrateIslands(document.body, mod);
				setTimeout(() => document.body.setAttribute("data-hydrated", "1"), 0);
			});
			window.__hydrateIsland = (el, id) => hydrateIsland(el, id, mod);
		});
	});
})
