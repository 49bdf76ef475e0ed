// A worker script that fails while loading, for the build's worker-failure test.
throw new Error('worker boom');
