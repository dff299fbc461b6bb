import Testing
@testable import UNetZoo

@Suite struct YAMLScalarTests {
    @Test func coreSchemaResolvesPlainScalars() {
        #expect(YAMLScalar(text: "42", plain: true) == .int(42))
        #expect(YAMLScalar(text: "-7", plain: true) == .int(-7))
        #expect(YAMLScalar(text: "0x1F", plain: true) == .int(31))
        #expect(YAMLScalar(text: "1e-4", plain: true) == .float(1e-4))
        #expect(YAMLScalar(text: "0.5", plain: true) == .float(0.5))
        #expect(YAMLScalar(text: "true", plain: true) == .bool(true))
        #expect(YAMLScalar(text: "~", plain: true) == .null)
        #expect(YAMLScalar(text: "", plain: true) == .null)
    }

    @Test func yamlOneOneFormsAreStrings() {
        #expect(YAMLScalar(text: "yes", plain: true) == .string("yes"))
        #expect(YAMLScalar(text: "off", plain: true) == .string("off"))
        #expect(YAMLScalar(text: "010", plain: true) == .string("010"))
        #expect(YAMLScalar(text: "64:64", plain: true) == .string("64:64"))
    }

    @Test func signedOrEmptyRadixFormsAreStrings() {
        #expect(YAMLScalar(text: "0x-5", plain: true) == .string("0x-5"))
        #expect(YAMLScalar(text: "0o+7", plain: true) == .string("0o+7"))
        #expect(YAMLScalar(text: "0x", plain: true) == .string("0x"))
        #expect(YAMLScalar(text: "0o17", plain: true) == .int(15))
        #expect(YAMLScalar(text: "0o8", plain: true) == .string("0o8"))
    }

    @Test func exponentAndOverflowFormsAreFloats() {
        #expect(YAMLScalar(text: "1e2", plain: true) == .float(100))
        #expect(YAMLScalar(text: ".5", plain: true) == .float(0.5))
        #expect(YAMLScalar(text: "99999999999999999999", plain: true) == .float(1e20))
        #expect(YAMLScalar(text: "1_000", plain: true) == .string("1_000"))
    }

    @Test func quotedScalarsAreStrings() {
        #expect(YAMLScalar(text: "3", plain: false) == .string("3"))
        #expect(YAMLScalar(text: "true", plain: false) == .string("true"))
    }
}
