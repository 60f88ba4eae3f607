//! Where the source files are: built into partylink (the repository's `data/`, unmodified), a
//! data directory laid out like the official downloads, or each file named on its own. A
//! missing file is reported with the page to download it from.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One source file partylink needs, where it is expected, where to get it, and the copy built
/// into partylink.
pub struct SourceFile {
    pub what: &'static str,
    pub flag: &'static str,
    pub default_path: &'static str,
    pub download: &'static str,
    pub built_in: BuiltIn,
}

/// A source file built into the binary from `data/`, with the sha256 `data/SOURCES.md` gives
/// (a test checks the two agree), so a run need not hash 7 MB to name what it read.
#[derive(Debug)]
pub struct BuiltIn {
    pub bytes: &'static [u8],
    pub sha256: &'static str,
}

macro_rules! built_in {
    ($file:literal, $sha256:literal) => {
        BuiltIn { bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $file)), sha256: $sha256 }
    };
}

/// The name a built-in source goes by in errors and the manifest.
pub const BUILT_IN_PREFIX: &str = "<built-in data>";

pub const FH: SourceFile = SourceFile {
    what: "Freedom House ratings and statuses workbook",
    flag: "--fh",
    default_path: "fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx",
    download: "https://freedomhouse.org/report/freedom-world (\"Country and Territory Ratings and Statuses, FIW 1973-2024\")",
    built_in: built_in!(
        "fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx",
        "a974e6fe8ce866745b08008e4427c72c0c8798c3e051135c94024073a2b04c81"
    ),
};
pub const DPI: SourceFile = SourceFile {
    what: "Database of Political Institutions 2017",
    flag: "--dpi",
    default_path: "dpi/DPI2017_basefile_Jan2018.csv",
    download: "https://publications.iadb.org/en/database-political-institutions-2017-dpi2017",
    built_in: built_in!(
        "dpi/DPI2017_basefile_Jan2018.csv",
        "b47e362fc6a2722092c555bfc0343e851303a5faa6629978769f5c31f383323f"
    ),
};
pub const PF_CORE: SourceFile = SourceFile {
    what: "Party Facts core parties",
    flag: "--partyfacts-core",
    default_path: "partyfacts/partyfacts-core-parties.csv",
    download: "https://partyfacts.herokuapp.com/download/ (core parties, CSV)",
    built_in: built_in!(
        "partyfacts/partyfacts-core-parties.csv",
        "bd2e924ccb540d5a2af1b5fc65fdf4eafe00b9a799eb9959592c8e547acb97cc"
    ),
};
pub const PF_EXTERNAL: SourceFile = SourceFile {
    what: "Party Facts external parties",
    flag: "--partyfacts-external",
    default_path: "partyfacts/partyfacts-external-parties.csv",
    download: "https://partyfacts.herokuapp.com/download/ (external parties, CSV)",
    built_in: built_in!(
        "partyfacts/partyfacts-external-parties.csv",
        "8b236ade2664587f06060ba7f964f3e519701e34ff9c4874ca3d52703b13a48d"
    ),
};
pub const PF_DPI: SourceFile = SourceFile {
    what: "Party Facts' DPI import",
    flag: "--partyfacts-dpi",
    default_path: "partyfacts/partyfacts-import-dpi.csv",
    download: "https://github.com/hdigital/partyfactsdata (file import/dpi/dpi.csv)",
    built_in: built_in!(
        "partyfacts/partyfacts-import-dpi.csv",
        "42f5de85582050ef7543519a8e04f34cf55667fa2e5fee91a9065dbf58fb3e59"
    ),
};

pub const PARLGOV_CABINETS: SourceFile = SourceFile {
    what: "ParlGov cabinets (view_cabinet)",
    flag: "--parlgov-cabinets",
    default_path: "parlgov/view_cabinet.csv",
    download: "https://www.parlgov.org/data-info/ (table view_cabinet, CSV)",
    built_in: built_in!("parlgov/view_cabinet.csv", "6bdfd2f9f3ac7747e6f26f37a96b983ce8e04174b929e9bb50cb43a6c37aa7ad"),
};

/// A source as a run reads it: a file, or the copy built into partylink.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file; for a built-in source `<built-in data>/` and its path under `data/`, the name
    /// errors and the manifest give it.
    pub path: PathBuf,
    pub built_in: Option<&'static BuiltIn>,
}

impl Source {
    pub fn file(path: impl Into<PathBuf>) -> Source {
        Source { path: path.into(), built_in: None }
    }

    pub fn built_in(source: &'static SourceFile) -> Source {
        Source { path: Path::new(BUILT_IN_PREFIX).join(source.default_path), built_in: Some(&source.built_in) }
    }

    /// The whole file.
    pub fn bytes(&self) -> Result<Cow<'static, [u8]>> {
        match self.built_in {
            Some(b) => Ok(Cow::Borrowed(b.bytes)),
            None => Ok(Cow::Owned(read_file(&self.path)?)),
        }
    }
}

/// A file's bytes, or an error that says why not (a directory, a missing or unreadable file).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a file", path.display());
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A source is named, in errors, by its path.
impl std::ops::Deref for Source {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

/// Every source of a run.
#[derive(Debug, Clone)]
pub struct SourcePaths {
    pub fh: Source,
    pub dpi: Source,
    pub partyfacts_core: Source,
    pub partyfacts_external: Source,
    pub partyfacts_dpi: Source,
    pub parlgov_cabinets: Source,
}

impl SourcePaths {
    /// Each source with the role the manifest gives it.
    pub fn roles(&self) -> [(&'static str, &Source); 6] {
        [
            ("fh", &self.fh),
            ("dpi", &self.dpi),
            ("partyfacts_core", &self.partyfacts_core),
            ("partyfacts_external", &self.partyfacts_external),
            ("partyfacts_dpi", &self.partyfacts_dpi),
            ("parlgov_cabinets", &self.parlgov_cabinets),
        ]
    }

    /// Every source built in.
    pub fn built_in() -> SourcePaths {
        SourcePaths {
            fh: Source::built_in(&FH),
            dpi: Source::built_in(&DPI),
            partyfacts_core: Source::built_in(&PF_CORE),
            partyfacts_external: Source::built_in(&PF_EXTERNAL),
            partyfacts_dpi: Source::built_in(&PF_DPI),
            parlgov_cabinets: Source::built_in(&PARLGOV_CABINETS),
        }
    }

    /// Each source from its own flag when given, else from its place under `data` when that is
    /// given, else built in. Fails, naming every missing file and its download page, unless
    /// all exist.
    pub fn locate(
        data: Option<&Path>,
        fh: Option<PathBuf>,
        dpi: Option<PathBuf>,
        core: Option<PathBuf>,
        external: Option<PathBuf>,
        pf_dpi: Option<PathBuf>,
        parlgov_cabinets: Option<PathBuf>,
    ) -> Result<SourcePaths> {
        let mut missing = Vec::new();
        let mut pick = |given: Option<PathBuf>, source: &'static SourceFile| {
            let Some(path) = given.or_else(|| data.map(|d| d.join(source.default_path))) else {
                return Source::built_in(source);
            };
            if !path.is_file() {
                let why = if path.exists() { "not a file" } else { "not found" };
                missing.push(format!(
                    "  {} {why}: {}\n    (set {} or --data; download: {})",
                    source.what,
                    path.display(),
                    source.flag,
                    source.download
                ));
            }
            Source::file(path)
        };
        let paths = SourcePaths {
            fh: pick(fh, &FH),
            dpi: pick(dpi, &DPI),
            partyfacts_core: pick(core, &PF_CORE),
            partyfacts_external: pick(external, &PF_EXTERNAL),
            partyfacts_dpi: pick(pf_dpi, &PF_DPI),
            parlgov_cabinets: pick(parlgov_cabinets, &PARLGOV_CABINETS),
        };
        if !missing.is_empty() {
            let place = data.map_or_else(|| "not set".to_string(), |d| d.display().to_string());
            anyhow::bail!(
                "{} source file(s) missing (the data directory is {place}; without --data, PARTYLINK_DATA \
                 and the per-file flags partylink reads its built-in copies):\n{}",
                missing.len(),
                missing.join("\n")
            );
        }
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digests the manifest and the link cache give for the built-in sources are those of
    /// the bytes built in, and those `data/SOURCES.md` lists.
    #[test]
    fn built_in_digests_are_true() {
        let sources = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/SOURCES.md")).unwrap();
        for source in [&FH, &DPI, &PF_CORE, &PF_EXTERNAL, &PF_DPI, &PARLGOV_CABINETS] {
            let b = &source.built_in;
            assert_eq!(crate::shared::hex(&<sha2::Sha256 as sha2::Digest>::digest(b.bytes)), b.sha256);
            let row = format!("| `{}` | {} | `{}` |", source.default_path, b.bytes.len(), b.sha256);
            assert!(sources.contains(&row), "data/SOURCES.md lacks {row}");
        }
    }
}
