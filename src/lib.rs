//! partylink: links event data that mentions political parties (such as the CPC International
//! Department's contacts) to Party Facts ids, DPI power status and Freedom House regime type.
//!
//! The modules are the run's steps, in the order a run takes them: [`load`] (the readers, the
//! source files, the reference tables), [`resolve`] (countries to ISO3 codes, partners to Party
//! Facts ids), [`enrich`] (the SQL stages in `sql/`) and [`report`] (the output tables, their
//! formats, staging and the manifest). [`pipeline`] runs them in order; [`cmd`] holds one file
//! per subcommand above it, and [`shared`] the helpers every step uses. [`extract`] makes
//! contacts from news items, the step before load when a run starts from them (its code uses
//! what load and resolve offer: the readers, the registry as gazetteer, the resolver);
//! [`content`] counts the topics news items mention (the content analysis), after enrich and
//! before report. [`distributed`] runs the enrich step's contact stages on an Apache DataFusion
//! Ballista cluster instead (`run --cluster`, with the cargo feature `distributed`). Dependencies run one way: cmd, pipeline, the steps (each may use the ones
//! before it), shared. ARCHITECTURE.md draws the picture and names the file that holds each part.

pub mod cli;
pub mod cmd;
pub mod content;
pub mod distributed;
pub mod enrich;
pub mod extract;
pub mod load;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod shared;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files.sort();
        files
    }

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// A file's place in the order dependencies run: it may use what ranks at or below it.
    fn rank(module: &str) -> usize {
        ["shared", "load", "resolve", "extract", "enrich", "content", "report", "distributed", "pipeline", "cmd", "cli"]
            .iter()
            .position(|m| *m == module)
            .unwrap_or_else(|| panic!("crate::{module} is in no step of ARCHITECTURE.md"))
    }

    #[test]
    fn architecture_md_names_every_file_under_src() {
        let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
        let named: std::collections::BTreeSet<String> =
            text.split('`').filter(|w| w.starts_with("src/") && w.ends_with(".rs")).map(str::to_string).collect();
        let on_disk: std::collections::BTreeSet<String> = rust_files(&root().join("src"))
            .iter()
            .map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        let missing: Vec<_> = on_disk.difference(&named).collect();
        let gone: Vec<_> = named.difference(&on_disk).collect();
        assert!(missing.is_empty() && gone.is_empty(), "ARCHITECTURE.md misses {missing:?} and names {gone:?}");
    }

    #[test]
    fn dependencies_run_one_way() {
        for path in rust_files(&root().join("src")) {
            let relative = path.strip_prefix(root().join("src")).unwrap().to_string_lossy().replace('\\', "/");
            let own = relative.split(['/', '.']).next().unwrap();
            if matches!(own, "lib" | "main") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("crate::") {
                let used: String =
                    text[at + "crate::".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                assert!(
                    rank(&used) <= rank(own),
                    "src/{relative} uses crate::{used}: {own} may use only what comes before it in ARCHITECTURE.md"
                );
            }
        }
    }

    #[test]
    fn no_file_under_src_is_long() {
        for path in rust_files(&root().join("src")) {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            assert!(lines <= 450, "{} has {lines} lines: split it where its parts are", path.display());
        }
    }
}
