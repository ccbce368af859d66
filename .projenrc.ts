import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-wire-multi-ingress',
  packageName: 'cdk8s-wire-multi-ingress',
  description:
    'cdk8s constructs that turn one list of DNS domains into a complete, validated multi-ingress Wire deployment (wire-server, webapp and one nginx-ingress-services release per domain).',
  author: 'cdk8s-wire-multi-ingress maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-wire-multi-ingress/cdk8s-wire-multi-ingress.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'wire', 'wire-server', 'multi-ingress', 'helm', 'k3s', 'rke2', 'kubernetes'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Toolchain pins, see ../shared/reference/cdk8s-projen-notes.md.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  minNodeVersion: '20.16.0',

  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: ['cdk8s-plus-28@2.5.6'],

  // Snapshots must fail on drift; `npx projen test:update` updates them on purpose.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // the generated CRD bindings are not ours to cover
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
    },
  },

  gitignore: ['/synth-out/', '/examples/**/*.js', '/examples/**/*.d.ts'],
});

project.addPackageIgnore('/synth-out/');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/.ci/');

// Node 20 works; jsii's end-of-life banner only adds noise to every build.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '1');

// The eslint config covers examples too.
project.eslint?.addLintPattern('examples');

// Synthesizes the guide's three-domain example (green/red/blue) into synth-out/guide
// and prints what it wrote. Runs the TypeScript sources directly (no jsii compile needed).
project.addTask('synth:example', {
  description: "Synthesize the guide's three-domain example into synth-out/guide and list the files",
  exec: 'ts-node --transpile-only --project examples/tsconfig.json examples/guide-three-domains/main.ts synth-out/guide',
});

project.synth();
