// The first independent judge of our FHIR JSON: HAPI FHIR's R4 parser with StrictErrorHandler,
// under which unknown elements, wrong types and codes outside required value sets are errors.
// Reads one resource per line on stdin; prints `<line>: <HAPI's message>` for each that does not
// parse cleanly and exits with 1 if any did not. Run as a single-file source program:
//   java -cp '<hapi jars>/*' HapiStrictParse.java < resources.ndjson
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class HapiStrictParse {
  public static void main(String[] args) throws Exception {
    FhirContext context = FhirContext.forR4();
    context.setParserErrorHandler(new StrictErrorHandler());
    IParser parser = context.newJsonParser();
    BufferedReader input =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int line = 0;
    int failed = 0;
    for (String text = input.readLine(); text != null; text = input.readLine()) {
      line++;
      if (text.isBlank()) continue;
      try {
        parser.parseResource(text);
      } catch (Exception error) {
        failed++;
        System.out.println(line + ": " + error.getMessage().replace('\n', ' '));
      }
    }
    System.out.println("parsed " + line + " resources, " + failed + " with errors");
    System.exit(failed == 0 ? 0 : 1);
  }
}
