"""Packs the static `ipgate` binary into a wheel, so `pip install` gives the command.

    python3 Scripts/build_wheel.py BINARY OUT_DIR PLATFORM_TAG

The binary goes to the wheel's `.data/scripts/`, which pip installs into the
environment's `bin/` as it is: no Python runs between the user and the tool. A tiny
`inoculation_gate` package says the version and where the binary is. The platform
tag is given by the caller (Scripts/build-wheel.sh asks auditwheel which one the
binary really satisfies). Only the standard library is used.
"""
import base64
import hashlib
import os
import subprocess
import sys
import zipfile

NAME = "inoculation_gate"


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main(binary, out_dir, platform):
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    dist = f"{NAME}-{version}"
    files = {
        f"{NAME}/__init__.py": (
            '"""InoculationGate\'s command-line tool, `ipgate`, installed by pip."""\n'
            "import os\nimport sys\nimport sysconfig\n\n"
            f'__version__ = "{version}"\n\n\n'
            "def binary():\n"
            '    """The path of the installed `ipgate` executable."""\n'
            '    return os.path.join(sysconfig.get_path("scripts"), "ipgate")\n'
        ).encode(),
        f"{dist}.data/scripts/ipgate": open(binary, "rb").read(),
        f"{dist}.dist-info/METADATA": (
            "Metadata-Version: 2.1\n"
            "Name: inoculation-gate\n"
            f"Version: {version}\n"
            "Summary: A regression gate for language models fine-tuned with inoculation prompting (the ipgate command)\n"
            "License: see the project's repository\n"
            "Requires-Python: >=3.8\n"
        ).encode(),
        f"{dist}.dist-info/WHEEL": (
            "Wheel-Version: 1.0\n"
            "Generator: InoculationGate Scripts/build_wheel.py\n"
            "Root-Is-Purelib: false\n"
            f"Tag: py3-none-{platform}\n"
        ).encode(),
    }
    record = f"{dist}.dist-info/RECORD"
    lines = [f"{path},{digest(data)},{len(data)}" for path, data in files.items()] + [f"{record},,"]
    files[record] = ("\n".join(lines) + "\n").encode()
    os.makedirs(out_dir, exist_ok=True)
    wheel = os.path.join(out_dir, f"{dist}-py3-none-{platform}.whl")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # A regular file (S_IFREG) with its permissions: pip makes a script executable only then.
            info.external_attr = (0o100755 if path.endswith("/ipgate") else 0o100644) << 16
            archive.writestr(info, data)
    print(wheel)


if __name__ == "__main__":
    main(*sys.argv[1:4])
