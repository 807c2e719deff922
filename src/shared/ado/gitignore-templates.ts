/**
 * A built-in stand-in for Azure DevOps' .gitignore templates, used when their list cannot be read
 * (it needs OAuth or a full-scope PAT). Names are the ones Azure DevOps offers; contents are short
 * and written for this product, so they go into the first commit as raw content, not as a template.
 */

export interface GitignoreTemplate {
  name: string;
  content: string;
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const OS_AND_EDITORS = ['# Operating system and editor files', '.DS_Store', 'Thumbs.db', '.idea/', '*.swp'];

export const GITIGNORE_FALLBACK: readonly GitignoreTemplate[] = [
  {
    name: 'VisualStudio',
    content: lines(
      '# Build results',
      '[Dd]ebug/',
      '[Rr]elease/',
      'x64/',
      'x86/',
      '[Bb]in/',
      '[Oo]bj/',
      '[Ll]og/',
      '',
      '# Visual Studio user files and caches',
      '.vs/',
      '*.user',
      '*.suo',
      '*.userosscache',
      '*.sln.docstates',
      '',
      '# Test results and packages',
      '[Tt]est[Rr]esult*/',
      'TestResults/',
      '*.nupkg',
      '**/[Pp]ackages/*',
      '!**/[Pp]ackages/build/',
    ),
  },
  {
    name: 'Node',
    content: lines(
      'node_modules/',
      'npm-debug.log*',
      'yarn-debug.log*',
      'yarn-error.log*',
      'pnpm-debug.log*',
      '.npm/',
      'coverage/',
      'dist/',
      '.env',
      '.env.*',
      '!.env.example',
      '*.tsbuildinfo',
    ),
  },
  {
    name: 'Python',
    content: lines(
      '__pycache__/',
      '*.py[cod]',
      '*.egg-info/',
      'build/',
      'dist/',
      '.eggs/',
      '.venv/',
      'venv/',
      'env/',
      '.pytest_cache/',
      '.mypy_cache/',
      '.coverage',
      'htmlcov/',
      '.ipynb_checkpoints/',
    ),
  },
  {
    name: 'Java',
    content: lines('*.class', '*.log', '*.jar', '*.war', '*.ear', '*.nar', 'hs_err_pid*', 'replay_pid*'),
  },
  { name: 'Maven', content: lines('target/', 'pom.xml.tag', 'pom.xml.releaseBackup', 'pom.xml.versionsBackup', 'release.properties') },
  { name: 'Gradle', content: lines('.gradle/', 'build/', '!gradle/wrapper/gradle-wrapper.jar', 'local.properties') },
  { name: 'Kotlin', content: lines('*.class', '*.jar', '*.log', 'build/', '.gradle/', 'out/') },
  { name: 'Android', content: lines('*.apk', '*.aab', '*.ap_', 'build/', '.gradle/', 'local.properties', 'captures/', '.externalNativeBuild/', '.cxx/') },
  { name: 'Go', content: lines('*.exe', '*.exe~', '*.dll', '*.so', '*.dylib', '*.test', '*.out', 'go.work', 'go.work.sum', 'vendor/') },
  { name: 'Rust', content: lines('target/', '**/*.rs.bk', '*.pdb') },
  { name: 'C', content: lines('*.o', '*.obj', '*.a', '*.lib', '*.so', '*.so.*', '*.dylib', '*.dll', '*.exe', '*.out', '*.d', '*.gch', '*.pch') },
  { name: 'C++', content: lines('*.o', '*.obj', '*.a', '*.lib', '*.so', '*.dylib', '*.dll', '*.exe', '*.out', '*.d', '*.gch', '*.pch', '*.ilk', '*.pdb') },
  { name: 'CMake', content: lines('CMakeLists.txt.user', 'CMakeCache.txt', 'CMakeFiles/', 'cmake_install.cmake', 'install_manifest.txt', 'CTestTestfile.cmake', '_deps/', 'build/') },
  { name: 'Ruby', content: lines('*.gem', '.bundle/', 'vendor/bundle/', 'coverage/', 'tmp/', 'log/', '.byebug_history') },
  { name: 'Rails', content: lines('.bundle/', 'log/*', 'tmp/*', 'storage/*', 'public/assets/', 'node_modules/', 'config/master.key', '.env*') },
  { name: 'Swift', content: lines('.build/', 'DerivedData/', 'xcuserdata/', '*.xcuserstate', 'Packages/', '.swiftpm/', 'Carthage/Build/', 'Pods/') },
  { name: 'Dart', content: lines('.dart_tool/', '.packages', 'build/', 'pubspec.lock', 'doc/api/') },
  { name: 'Unity', content: lines('/[Ll]ibrary/', '/[Tt]emp/', '/[Oo]bj/', '/[Bb]uild/', '/[Bb]uilds/', '/[Ll]ogs/', '/[Uu]ser[Ss]ettings/', '*.csproj', '*.sln', '*.pidb', '*.apk') },
  { name: 'Terraform', content: lines('.terraform/', '*.tfstate', '*.tfstate.*', 'crash.log', '*.tfvars', '*.tfvars.json', 'override.tf', 'override.tf.json', '.terraformrc', 'terraform.rc') },
].map((t) => ({ name: t.name, content: `${t.content}\n${lines(...OS_AND_EDITORS)}` }));

/** The built-in content for a template name (case-insensitive, with or without `.gitignore`). */
export function builtInGitignore(name: string): string | undefined {
  const wanted = name.replace(/\.gitignore$/i, '').toLowerCase();
  return GITIGNORE_FALLBACK.find((t) => t.name.toLowerCase() === wanted)?.content;
}
