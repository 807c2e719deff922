/**
 * The .gitignore templates the sandbox offers through `GET .../_apis/git/templates?type=gitignore`
 * and fills in for `newContentTemplate` in pushes. Names are the ones Azure DevOps lists
 * (`VisualStudio.gitignore`, ...); the contents are short texts written for the sandbox.
 */

const text = (...lines: string[]) => `${lines.join('\n')}\n`;

const TEMPLATES: Record<string, string> = {
  Actionscript: text('# Build output', 'bin/', 'bin-debug/', 'bin-release/', '*.swf', '.actionScriptProperties'),
  Android: text('# Build output', '*.apk', '*.aab', 'build/', '.gradle/', 'local.properties', 'captures/', '.externalNativeBuild/', '.cxx/'),
  C: text('# Objects and binaries', '*.o', '*.obj', '*.a', '*.lib', '*.so', '*.dylib', '*.dll', '*.exe', '*.out'),
  'C++': text('# Objects and binaries', '*.o', '*.obj', '*.a', '*.lib', '*.so', '*.dylib', '*.dll', '*.exe', '*.pdb', '*.ilk'),
  CMake: text('CMakeCache.txt', 'CMakeFiles/', 'cmake_install.cmake', 'install_manifest.txt', 'CTestTestfile.cmake', '_deps/'),
  Dart: text('.dart_tool/', '.packages', 'build/', 'doc/api/'),
  Elixir: text('/_build/', '/deps/', '/cover/', '*.ez', 'erl_crash.dump'),
  Go: text('# Binaries and test output', '*.exe', '*.test', '*.out', 'vendor/', 'go.work'),
  Gradle: text('.gradle/', 'build/', '!gradle/wrapper/gradle-wrapper.jar'),
  Haskell: text('dist/', 'dist-newstyle/', '.stack-work/', '*.hi', '*.o'),
  Java: text('*.class', '*.jar', '*.war', '*.ear', '*.log', 'hs_err_pid*'),
  Julia: text('*.jl.cov', '*.jl.mem', '/Manifest.toml', 'docs/build/'),
  Kotlin: text('*.class', '*.jar', 'build/', 'out/', '.gradle/'),
  Laravel: text('/vendor/', 'node_modules/', '.env', '/storage/*.key', '/public/storage'),
  Maven: text('target/', 'pom.xml.tag', 'pom.xml.releaseBackup', 'release.properties'),
  Node: text('node_modules/', 'npm-debug.log*', 'coverage/', 'dist/', '.env', '*.tsbuildinfo'),
  'Objective-C': text('xcuserdata/', 'DerivedData/', '*.xcuserstate', 'Pods/'),
  Perl: text('blib/', '_build/', 'Build', 'MYMETA.*', '*.o', 'pm_to_blib'),
  Python: text('__pycache__/', '*.py[cod]', '*.egg-info/', 'build/', 'dist/', '.venv/', '.pytest_cache/'),
  R: text('.Rhistory', '.RData', '.Rproj.user/', '*.Rcheck/'),
  Rails: text('/log/*', '/tmp/*', '/storage/*', '/public/assets', '/config/master.key', '.env*'),
  Ruby: text('*.gem', '.bundle/', 'vendor/bundle/', 'coverage/', 'tmp/'),
  Rust: text('/target/', '**/*.rs.bk'),
  Scala: text('target/', 'project/target/', '.bsp/', '.metals/', '.bloop/'),
  Swift: text('.build/', 'DerivedData/', 'xcuserdata/', '.swiftpm/', 'Packages/'),
  Terraform: text('.terraform/', '*.tfstate', '*.tfstate.*', 'crash.log', '*.tfvars', 'override.tf'),
  TeX: text('*.aux', '*.log', '*.out', '*.toc', '*.synctex.gz', '*.fdb_latexmk', '*.fls'),
  Unity: text('/[Ll]ibrary/', '/[Tt]emp/', '/[Oo]bj/', '/[Bb]uild/', '/[Ll]ogs/', '/[Uu]ser[Ss]ettings/'),
  UnrealEngine: text('Binaries/', 'DerivedDataCache/', 'Intermediate/', 'Saved/', '*.sln'),
  VisualStudio: text(
    '## Files produced by Visual Studio and its builds.',
    '',
    '# User-specific files',
    '*.suo',
    '*.user',
    '*.userosscache',
    '*.sln.docstates',
    '.vs/',
    '',
    '# Build results',
    '[Dd]ebug/',
    '[Rr]elease/',
    'x64/',
    'x86/',
    '[Bb]in/',
    '[Oo]bj/',
    '[Ll]og/',
    '',
    '# Test results and packages',
    '[Tt]est[Rr]esult*/',
    '*.nupkg',
    '**/[Pp]ackages/*',
  ),
  WordPress: text('wp-config.php', 'wp-content/uploads/', 'wp-content/upgrade/', 'wp-content/cache/'),
};

const SUFFIX = '.gitignore';

/** Template names as Azure DevOps lists them: `VisualStudio.gitignore`, sorted. */
export function gitignoreTemplateNames(): string[] {
  return Object.keys(TEMPLATES)
    .toSorted((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))
    .map((n) => `${n}${SUFFIX}`);
}

/** The content for `VisualStudio.gitignore` (case-insensitive), or undefined. */
export function gitignoreTemplate(name: string): string | undefined {
  if (!name.toLowerCase().endsWith(SUFFIX)) return undefined;
  const wanted = name.slice(0, -SUFFIX.length).toLowerCase();
  const key = Object.keys(TEMPLATES).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : TEMPLATES[key];
}
