//! With feature `tch`: compiles `csrc/tch_shim.cpp`, the libtorch kernels tch does not bind,
//! against the same libtorch torch-sys builds with (its `links = "tch"` metadata gives the
//! library directory; the headers sit beside it). Without `tch`, nothing is built.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "tch")]
    {
        println!("cargo:rerun-if-changed=csrc/tch_shim.cpp");
        println!("cargo:rerun-if-env-changed=LIBTORCH_CXX11_ABI");
        println!("cargo:rerun-if-env-changed=LIBTORCH_USE_PYTORCH");
        build_shim();
    }
}

#[cfg(feature = "tch")]
fn build_shim() {
    use std::path::PathBuf;
    let lib = match std::env::var("DEP_TCH_LIBTORCH_LIB") {
        Ok(lib) => PathBuf::from(lib),
        Err(_) => {
            println!(
                "cargo:warning=convirt-kernels: torch-sys gave no libtorch directory \
                 (DEP_TCH_LIBTORCH_LIB); the tch shim cannot be built"
            );
            std::process::exit(1);
        }
    };
    let root = lib
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| lib.clone());
    let include = root.join("include");
    cc::Build::new()
        .cpp(true)
        .pic(true)
        .warnings(false)
        .include(&include)
        .include(include.join("torch/csrc/api/include"))
        .flag("-std=c++17")
        .flag(format!("-D_GLIBCXX_USE_CXX11_ABI={}", cxx11_abi()))
        .flag("-DGLOG_USE_GLOG_EXPORT")
        .file("csrc/tch_shim.cpp")
        .compile("convirt_tch_shim");
}

/// The C++ ABI libtorch was built with: `LIBTORCH_CXX11_ABI` if set, else what the Python torch
/// says when torch-sys builds against it (`LIBTORCH_USE_PYTORCH`), else 1 (libtorch's default).
#[cfg(feature = "tch")]
fn cxx11_abi() -> String {
    use std::process::Command;
    if let Ok(abi) = std::env::var("LIBTORCH_CXX11_ABI") {
        return abi;
    }
    if std::env::var_os("LIBTORCH_USE_PYTORCH").is_some() {
        // The interpreter torch-sys runs: `python` inside a virtual environment, else `python3`.
        let python = if std::env::var_os("VIRTUAL_ENV").is_some() {
            "python"
        } else {
            "python3"
        };
        let probe = Command::new(python)
            .args([
                "-c",
                "import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))",
            ])
            .output();
        if let Ok(out) = probe {
            let abi = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if abi == "0" || abi == "1" {
                return abi;
            }
        }
    }
    "1".to_owned()
}
