import ts from 'typescript';
const file = process.argv[2];
const program = ts.createProgram([file], {
	strict: true,
	module: ts.ModuleKind.NodeNext,
	moduleResolution: ts.ModuleResolutionKind.NodeNext,
	target: ts.ScriptTarget.ES2022,
	skipLibCheck: true,
	noUncheckedIndexedAccess: true,
});
const checker = program.getTypeChecker();
const sf = program.getSourceFile(file);
ts.forEachChild(sf, (node) => {
	if (ts.isVariableStatement(node))
		for (const d of node.declarationList.declarations) {
			const t = checker.getTypeAtLocation(d.name);
			console.log(
				d.name.getText(),
				'=',
				checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals),
			);
		}
});
